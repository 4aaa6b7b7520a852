"""Commands are imported when used: `shadowai scan repo` does not pay for the cloud SDKs, scapy or openpyxl of the
other commands, the help still lists every command, and a command that cannot be imported is reported."""

import json
import re
import sqlite3
import subprocess
import sys
import textwrap

import click
import pytest

from scanner.cli.main import COMMANDS, cli
from scanner.plugins.lazy_commands import LazyCommand
from scanner.plugins.manager import lazy_scan_commands
from tests.cli.runner import shadowai

# What other commands need and a repository scan never does.
NOT_FOR_A_REPO_SCAN = ("boto3", "botocore", "s3transfer", "msal", "scapy", "openpyxl", "jinja2", "dask",
                       "distributed", "fsspec", "s3fs", "requests", "urllib3", "cryptography", "tabulate", "dns",
                       "zstandard", "jsonschema", "publicsuffixlist")


def run_python(code: str, *, path: str | None = None) -> subprocess.CompletedProcess:
    """A fresh interpreter (this one has imported everything already), with PATH first on sys.path."""
    script = f"import sys; sys.path[:0] = {[path] if path else []!r}\n" + textwrap.dedent(code)
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)


def loaded_after(argv: list[str], *, path: str | None = None) -> tuple[int, set[str], str]:
    """Run `shadowai ARGV` in a fresh interpreter: its exit code, every module imported by then, and its output."""
    result = run_python(f"""
        import json, sys
        from scanner.cli.main import cli
        try:
            code = cli.main(args={argv!r}, prog_name="shadowai", standalone_mode=False)
        except SystemExit as exc:  # a scan exits with its run's code
            code = exc.code
        print("\\n" + json.dumps([code, sorted(sys.modules)]))
    """, path=path)
    assert result.returncode == 0, result.stderr
    code, modules = json.loads(result.stdout.rstrip().rsplit("\n", 1)[1])
    return code, set(modules), result.stdout


def test_a_repository_scan_imports_no_cloud_sdk_capture_or_spreadsheet_library(tmp_path):
    repo = tmp_path / "service"
    (repo / "app").mkdir(parents=True)
    (repo / "app" / "chat.py").write_text("from openai import OpenAI\n")
    db = tmp_path / "inv.db"

    code, modules, _ = loaded_after(["scan", "repo", str(repo), "--db", str(db), "-q"])

    assert code in (0, None)
    assert sqlite3.connect(db).execute("select service_id from findings").fetchall() == [("openai-api",)]
    assert sorted({m.split(".")[0] for m in modules} & set(NOT_FOR_A_REPO_SCAN)) == []
    assert "scanner.modules.repo.command" in modules
    assert not [m for m in modules if m.endswith(".command") and m != "scanner.modules.repo.command"]


def test_help_lists_every_command_with_its_summary_without_importing_any():
    code, modules, output = loaded_after(["scan", "--help"])
    assert code == 0
    for _, entry in lazy_scan_commands():
        assert f"  {entry.name} " in output
    assert re.search(r"^  repo +Find AI use in code repositories: SDK", output, re.M)
    assert not [m for m in modules if m.endswith(".command")]

    code, modules, output = loaded_after(["--help"])
    for entry in COMMANDS:
        assert f"  {entry.name} " in output
    assert re.search(r"^  catalogue +Browse and check the AI-service signature catalogue\.$", output, re.M)
    assert "scanner.cli.catalogue" not in modules and "boto3" not in modules


@pytest.mark.parametrize("entry", [entry for entry in COMMANDS] + [entry for _, entry in lazy_scan_commands()],
                         ids=lambda entry: entry.name)
def test_a_lazy_commands_stored_summary_is_the_first_sentence_of_its_help(entry):
    command = entry.load()
    assert entry.short_help == command.get_short_help_str(limit=10_000), (
        f"'{entry.name}': its help begins differently now; copy its first sentence to the LazyCommand of "
        f"{entry.import_path.split(':')[0].rsplit('.', 1)[0]} (plugin.py, or COMMANDS in scanner/cli/main.py)")


def test_a_mistyped_command_suggests_the_lazy_one_meant():
    result = shadowai("scan", "rpo")
    assert result.exit_code == 2
    if hasattr(click.exceptions, "NoSuchCommand"):  # click >= 8.4 suggests close names
        assert "Did you mean 'repo'" in result.output


def install_plugin(tmp_path, source: str) -> str:
    """A third-party plugin installed in TMP_PATH: module shadowai_extra, entry point `extra` of group shadowai."""
    (tmp_path / "shadowai_extra.py").write_text(textwrap.dedent(source))
    dist = tmp_path / "shadowai_extra-0.3.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: shadowai-extra\nVersion: 0.3\n")
    (dist / "entry_points.txt").write_text("[shadowai]\nextra = shadowai_extra\n")
    return str(tmp_path)


PLUGIN = '''
    import click

    from scanner.plugins.hookspecs import hookimpl
    from scanner.plugins.lazy_commands import LazyCommand


    @click.command(name="hello")
    def hello_command():
        """Say hello, the old way: imported at start-up."""
        click.echo("hello from a third-party plugin")


    @hookimpl
    def register_scan_commands(scan):
        scan.add_command(hello_command)


    @hookimpl
    def register_lazy_scan_commands():
        return [LazyCommand("broken", "shadowai_extra_missing_module:broken_command", "A command that cannot load.")]
'''


def test_a_third_party_plugin_adding_a_command_the_old_way_still_works(tmp_path):
    path = install_plugin(tmp_path, PLUGIN)
    code, _, output = loaded_after(["scan", "hello"], path=path)
    assert code in (0, None) and "hello from a third-party plugin" in output
    _, _, output = loaded_after(["scan", "--help"], path=path)
    assert "hello" in output and "Say hello, the old way: imported at start-up." in output


def test_a_lazy_command_that_cannot_be_imported_is_a_usage_error_and_is_reported_by_plugins(tmp_path):
    path = install_plugin(tmp_path, PLUGIN)

    result = run_python("""
        from scanner.cli.main import cli
        cli.main(args=["scan", "broken"], prog_name="shadowai")
    """, path=path)
    assert result.returncode == 2
    assert "'shadowai scan broken' is unavailable" in result.stderr
    assert "ModuleNotFoundError: No module named 'shadowai_extra_missing_module'" in result.stderr

    _, _, output = loaded_after(["scan", "--help"], path=path)
    assert re.search(r"^  broken +A command that cannot load\.$", output, re.M)

    _, _, output = loaded_after(["plugins", "--format", "json"], path=path)
    rows = json.loads(output.rstrip().rsplit("\n", 1)[0])
    extra = next(row for row in rows if row["name"] == "extra")
    assert extra["problem"] == ("cannot load 'broken' from shadowai_extra_missing_module:broken_command: "
                                "ModuleNotFoundError: No module named 'shadowai_extra_missing_module'")
    repo = next(row for row in rows if row["name"] == "scanner.modules.repo.plugin")
    assert repo["problem"] is None and repo["hooks"] == "register_lazy_scan_commands"


def test_a_lazy_command_needs_a_module_and_attribute_import_path():
    with pytest.raises(ValueError, match="not 'package.module:attribute'"):
        LazyCommand("repo", "scanner.modules.repo.command.repo_command", "Find AI use.")
    with pytest.raises(TypeError, match="not a click command"):
        LazyCommand("cli", "scanner.cli.main:COMMANDS", "Not a command.").load()


def test_every_top_level_command_resolves_to_the_command_of_that_name():
    context = click.Context(cli)
    for name in cli.list_commands(context):
        assert cli.get_command(context, name).name == name
