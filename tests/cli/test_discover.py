"""`shadowai discover`, `risk-register`, `report` and `export --bundle` from the command line."""

import json
import sqlite3
import textwrap

from tests.cli.runner import shadowai
from tests.squid_lines import squid, write_log

T0 = 1764460800.0  # 2025-11-30T00:00:00Z


def setup(tmp_path, extra=""):
    write_log(tmp_path / "access.log", [squid(T0, "chatgpt.com", client="10.1.0.5"),
                                        squid(T0 + 5, "claude.ai", client="10.2.0.5")])
    config = tmp_path / "shadowai.toml"
    config.write_text(textwrap.dedent("""
        drafts = "out"
        [sources.logs]
        paths = ["access.log"]
        [scopes.eng]
        networks = ["10.1.0.0/16"]
    """) + textwrap.dedent(extra), encoding="utf-8")
    return config


def discover_runs(db_path):
    with sqlite3.connect(db_path) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute("select * from runs where module = 'discover' order by id")]


def test_discover_runs_the_scopes_sources_and_writes_the_draft(tmp_path, db_path):
    config = setup(tmp_path)
    result = shadowai("discover", "--scope", "eng", "--config", config, "--db", db_path, "-q")
    assert result.exit_code == 0, result.output
    md = (tmp_path / "out" / "eng-scope-draft.md").read_text(encoding="utf-8")
    assert "ChatGPT (`chatgpt`)" in md and "| Claude | unsanctioned |" in md  # claude: outside the network
    [run] = discover_runs(db_path)
    assert (run["scope"], run["status"]) == ("eng", "succeeded")
    [source] = json.loads(run["inputs"])
    assert source["source"] == "logs" and source["exit_code"] == 0 and len(source["runs"]) == 1


def test_a_source_whose_module_is_not_installed_is_a_gap_and_exit_1(tmp_path, db_path, monkeypatch):
    import scanner.cli.discover as discover

    config = setup(tmp_path, """
        [sources.github]
        orgs = ["acme"]
    """)
    real = discover.scan_commands
    monkeypatch.setattr(discover, "scan_commands", lambda: {k: v for k, v in real().items() if k != "github"})
    result = shadowai("discover", "--scope", "eng", "--config", config, "--db", db_path, "-q")
    assert result.exit_code == 1
    [run] = discover_runs(db_path)
    [gap] = json.loads(run["coverage_gaps"])
    assert gap["what"] == "sources.github" and "module not installed" in gap["why"]
    assert "sources.github" in (tmp_path / "out" / "eng-scope-draft.md").read_text(encoding="utf-8")


def test_an_unknown_scope_is_a_usage_error_naming_the_scopes(tmp_path, db_path):
    result = shadowai("discover", "--scope", "sales", "--config", setup(tmp_path), "--db", db_path)
    assert result.exit_code == 2 and "no scope 'sales'" in result.output and "scopes: eng" in result.output


def test_a_config_error_is_a_usage_error_with_the_line(tmp_path, db_path):
    config = setup(tmp_path, """
        [scopes.ops]
        network = ["10.3.0.0/16"]
    """)
    result = shadowai("discover", "--config", config, "--db", db_path)
    assert result.exit_code == 2 and "shadowai.toml:9: unknown key 'scopes.ops.network'" in result.output


def test_no_scan_redraws_from_the_last_discover_run(tmp_path, db_path):
    config = setup(tmp_path)
    shadowai("discover", "--scope", "eng", "--config", config, "--db", db_path, "-q")
    result = shadowai("discover", "--scope", "eng", "--config", config, "--db", db_path, "--no-scan",
                      "--out", tmp_path / "again", "-q")
    assert result.exit_code == 0 and len(discover_runs(db_path)) == 1
    assert "discover run 1" in (tmp_path / "again" / "eng-scope-draft.md").read_text(encoding="utf-8")


def test_register_report_and_bundle_from_the_command_line(tmp_path, db_path):
    config = setup(tmp_path)
    shadowai("discover", "--scope", "eng", "--config", config, "--db", db_path, "-q")
    for args in (("risk-register", "--out", tmp_path / "r.xlsx"), ("risk-register", "--out", tmp_path / "r.csv"),
                 ("report", "--out", tmp_path / "r.html"), ("export", "--bundle", tmp_path / "b.zip")):
        result = shadowai(*args, "--config", config, "--db", db_path)
        assert result.exit_code == 0, (args, result.output)
    assert "<svg" in (tmp_path / "r.html").read_text(encoding="utf-8")


def test_export_needs_out_or_bundle_but_not_both(tmp_path, db_path):
    setup(tmp_path)
    assert shadowai("export", "--db", db_path).exit_code == 2
    assert shadowai("export", "--out", "-", "--bundle", tmp_path / "b", "--db", db_path).exit_code == 2


def test_risk_register_refuses_an_unknown_file_type(tmp_path, db_path):
    result = shadowai("risk-register", "--out", tmp_path / "r.ods", "--db", db_path)
    assert result.exit_code == 2 and ".csv or .xlsx" in result.output
