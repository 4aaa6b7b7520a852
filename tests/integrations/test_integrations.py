"""integrations/: each file is parsed, checked with a real validator where one is on the machine, and every
`shadowai` command line in it is parsed by the real CLI, so that the files cannot drift from the program."""

import configparser
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
import yaml

from scanner.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
INTEGRATIONS = ROOT / "integrations"
SERVICE = INTEGRATIONS / "systemd" / "shadowai-scan.service"
TIMER = INTEGRATIONS / "systemd" / "shadowai-scan.timer"
CRON = INTEGRATIONS / "cron" / "shadowai"
CRONJOB = INTEGRATIONS / "kubernetes" / "shadowai-cronjob.yaml"
WORKFLOW = INTEGRATIONS / "github" / "shadowai-code-scan.yml"
INSTALLED_AT = "/usr/local/bin/shadowai"


def parse_shadowai(argv: list[str]) -> click.Context:
    """Parse a `shadowai …` command line (without the program name) with the real CLI, group by group, as click
    would before running it: unknown options, bad choices and missing arguments raise click.UsageError."""
    command, name, args, parent = cli, "shadowai", list(argv), None
    while True:
        ctx = command.make_context(name, args, parent=parent)
        if not isinstance(command, click.Group):
            return ctx
        protected = ctx.__dict__.get("_protected_args")
        rest = [*(protected if protected is not None else getattr(ctx, "protected_args", [])), *ctx.args]
        if not rest:
            return ctx
        name, command, args = command.resolve_command(ctx, rest)
        parent = ctx


def shadowai_invocations(shell: str) -> list[list[str]]:
    """Every `shadowai` command in a shell snippet (split on ; && || and newlines): the words after it."""
    found = []
    for part in re.split(r"\n|;|&&|\|\|", shell):
        words = shlex.split(part)
        while words and re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", words[0]):  # VAR=value before the command
            words.pop(0)
        if words and (words[0] == "shadowai" or words[0].endswith("/shadowai")):
            found.append(words[1:])
    return found


def sarif_export_exists() -> bool:
    export = cli.get_command(click.Context(cli), "export")
    formats = next(p for p in export.params if p.name == "output_format")
    return "sarif" in formats.type.choices


def check_command_line(argv: list[str]) -> None:
    if "sarif" in argv and not sarif_export_exists():
        pytest.skip("`shadowai export --format sarif` is not in this tree yet (the SARIF export lands separately)")
    parse_shadowai(argv)


def test_the_command_line_parser_rejects_what_the_cli_rejects():
    with pytest.raises(click.UsageError):
        parse_shadowai(["scan", "--no-such-option"])
    with pytest.raises(click.UsageError):
        parse_shadowai(["prune", "--older-than", "soon"])
    assert parse_shadowai(["prune", "--older-than", "400d"]).command.name == "prune"


# --- systemd ------------------------------------------------------------------------------------------------

def unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return parser


def test_the_service_runs_every_source_once_with_the_lock_and_hardening():
    service = unit(SERVICE)["Service"]
    assert service["Type"] == "oneshot" and service["DynamicUser"] == "yes"
    assert service["StateDirectory"] == "shadowai" and service["ProtectSystem"] == "strict"
    argv = shlex.split(service["ExecStart"])
    assert argv[0] == INSTALLED_AT
    ctx = parse_shadowai(argv[1:])
    assert ctx.command.name == "scan" and ctx.params["db_path"].startswith("/var/lib/shadowai/")  # StateDirectory
    assert ctx.params["wait"] > 0 and "1" in service["SuccessExitStatus"].split()


def test_the_timer_starts_the_service_nightly_and_catches_up():
    timer = unit(TIMER)
    assert timer["Timer"]["Unit"] == SERVICE.name and timer["Timer"]["Persistent"] == "true"
    assert timer["Timer"]["OnCalendar"] and timer["Install"]["WantedBy"] == "timers.target"


def test_systemd_analyze_verifies_both_units(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        if os.environ.get("CI"):
            pytest.fail("systemd-analyze is missing on CI (.ci/run installs Debian's systemd package)")
        pytest.skip("systemd-analyze is not installed (Debian package systemd); .ci/run installs it on CI")
    # verify checks that ExecStart's program exists: point it at this environment's shadowai.
    program = Path(sys.executable).with_name("shadowai")
    if not program.exists():
        program = Path(shutil.which("shadowai") or "/bin/true")
    (tmp_path / SERVICE.name).write_text(SERVICE.read_text(encoding="utf-8").replace(INSTALLED_AT, str(program)),
                                         encoding="utf-8")
    shutil.copy(TIMER, tmp_path / TIMER.name)
    result = subprocess.run([analyze, "verify", "--man=no", str(tmp_path / SERVICE.name), str(tmp_path / TIMER.name)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stderr.strip() == "" and result.stdout.strip() == "", \
        result.stdout + result.stderr  # warnings (an unknown key, say) count as failures too


# --- cron ---------------------------------------------------------------------------------------------------

FIELDS = [("minute", 0, 59), ("hour", 0, 23), ("day of month", 1, 31), ("month", 1, 12), ("day of week", 0, 7)]


def valid_cron_field(text: str, low: int, high: int) -> bool:
    for item in text.split(","):
        base, _, step = item.partition("/")
        if step and not step.isdigit():
            return False
        if base == "*":
            continue
        bounds = base.split("-")
        if not all(b.isdigit() and low <= int(b) <= high for b in bounds) or len(bounds) > 2:
            return False
    return True


def cron_jobs():
    jobs = []
    for line in CRON.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#") or re.match(r"^[A-Z_]+=", line):
            continue
        fields = line.split(None, 6)
        assert len(fields) == 7, f"not 'm h dom mon dow user command': {line}"
        jobs.append(fields)
    return jobs


def test_cron_lines_are_valid_system_crontab_entries():
    jobs = cron_jobs()
    assert len(jobs) == 2
    for fields in jobs:
        for (name, low, high), text in zip(FIELDS, fields[:5]):
            assert valid_cron_field(text, low, high), f"bad {name} field '{text}'"
        assert fields[5] == "shadowai"  # the user field of /etc/cron.d
        check = subprocess.run(["/bin/sh", "-n", "-c", fields[6]], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr


def test_cron_runs_the_scheduled_scan_and_the_prune_as_the_cli_accepts_them():
    commands = [argv for fields in cron_jobs() for argv in shadowai_invocations(fields[6])]
    assert [argv[0] for argv in commands] == ["scan", "prune"]
    for argv in commands:
        check_command_line(argv)


def test_the_cron_field_checker_catches_mistakes():
    assert not valid_cron_field("61", 0, 59) and not valid_cron_field("1-99", 0, 23)
    assert valid_cron_field("*/15", 0, 59) and valid_cron_field("1,15", 1, 31)


# --- Kubernetes ---------------------------------------------------------------------------------------------

def manifests():
    return {doc["kind"]: doc for doc in yaml.safe_load_all(CRONJOB.read_text(encoding="utf-8"))}


def test_the_manifests_validate_against_the_kubernetes_schemas():
    kubernetes_validate = pytest.importorskip("kubernetes_validate")
    for document in yaml.safe_load_all(CRONJOB.read_text(encoding="utf-8")):
        kubernetes_validate.validate(document, "1.30.0", strict=True)


def test_the_schema_check_bites():
    kubernetes_validate = pytest.importorskip("kubernetes_validate")
    cronjob = manifests()["CronJob"]
    container = cronjob["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]
    container["securityContext"]["readOnlyRootFileSystem"] = True  # misspelt: silently ignored by a lax check
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(cronjob, "1.30.0", strict=True)


def test_the_cronjob_has_a_read_only_root_and_the_inventory_on_a_persistent_volume():
    docs = manifests()
    cronjob, claim, config_map = docs["CronJob"], docs["PersistentVolumeClaim"], docs["ConfigMap"]
    assert cronjob["spec"]["concurrencyPolicy"] == "Forbid"
    pod = cronjob["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    [container] = pod["containers"]
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    assert container["securityContext"]["allowPrivilegeEscalation"] is False
    assert pod["securityContext"]["runAsNonRoot"] is True
    ctx = parse_shadowai(container["args"])
    assert ctx.command.name == "scan"
    volumes = {v["name"]: v for v in pod["volumes"]}
    mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
    db_folder = os.path.dirname(ctx.params["db_path"])
    assert volumes[mounts[db_folder]]["persistentVolumeClaim"]["claimName"] == claim["metadata"]["name"]
    config_folder, config_file = os.path.split(ctx.params["config_path"])
    assert volumes[mounts[config_folder]]["configMap"]["name"] == config_map["metadata"]["name"]
    assert config_file in config_map["data"]
    writable = {path for path, name in mounts.items() if not any(
        m.get("readOnly") for m in container["volumeMounts"] if m["mountPath"] == path)}
    assert writable == {db_folder, "/tmp"}  # the lock and the WAL live beside the database


def test_the_config_in_the_config_map_loads(tmp_path):
    from scanner.config import load_config

    (tmp_path / "shadowai.toml").write_text(manifests()["ConfigMap"]["data"]["shadowai.toml"], encoding="utf-8")
    config = load_config(tmp_path / "shadowai.toml")
    assert "logs" in config.sources and config.notifications.channels[0].kind == "slack"


# --- GitHub Actions -----------------------------------------------------------------------------------------

def workflow():
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def test_the_workflow_validates_against_the_github_workflow_schema():
    pytest.importorskip("check_jsonschema")
    result = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                             str(WORKFLOW)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_workflow_scans_pull_requests_and_uploads_the_sarif_it_exported():
    flow = workflow()
    assert "pull_request" in flow[True]  # YAML 1.1 reads the key `on` as true
    assert flow["permissions"]["security-events"] == "write"
    steps = flow["jobs"]["shadowai"]["steps"]
    commands = [argv for step in steps if "run" in step for argv in shadowai_invocations(step["run"])]
    assert [argv[:2] for argv in commands] == [["scan", "repo"], ["export", "--db"]]
    export = next(argv for argv in commands if argv[0] == "export")
    sarif_out = export[export.index("--out") + 1]
    [upload] = [step for step in steps if step.get("uses", "").startswith("github/codeql-action/upload-sarif@")]
    assert upload["with"]["sarif_file"] == sarif_out and export[export.index("--format") + 1] == "sarif"
    assert export[export.index("--db") + 1] == commands[0][commands[0].index("--db") + 1]


@pytest.mark.parametrize("index", [0, 1])
def test_the_workflows_shadowai_commands_parse(index):
    steps = workflow()["jobs"]["shadowai"]["steps"]
    commands = [argv for step in steps if "run" in step for argv in shadowai_invocations(step["run"])]
    check_command_line(commands[index])


def test_the_readme_links_every_integration():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for path in (SERVICE, TIMER, CRON, CRONJOB, WORKFLOW):
        assert f"]({path.relative_to(ROOT)})" in readme, f"README does not link {path.relative_to(ROOT)}"
