"""Messages: errors always on stderr; summaries only on a terminal or with --verbose; JSON for log shippers."""

import json

from tests.cli.runner import shadowai
from tests.squid_lines import squid, write_log


def test_summary_is_silent_under_cron_and_shown_with_verbose(tmp_path):
    log = tmp_path / "access.log"
    write_log(log, [squid(1764460800, "claude.ai", user="a")])
    cron = shadowai("scan", "logs", log, "--db", tmp_path / "a.db")
    assert cron.exit_code == 0 and cron.stderr == ""
    verbose = shadowai("--verbose", "scan", "logs", log, "--db", tmp_path / "b.db")
    assert "run 1 succeeded: 1 files read" in verbose.stderr


def test_json_log_format_emits_one_object_per_message(tmp_path):
    log = tmp_path / "access.log"
    write_log(log, [squid(1764460800, "claude.ai", user="a"), "1764460801.0 1 10.0.0.1 TCP_MISS/200 1 GET claude.ai"])
    result = shadowai("--log-format", "json", "--verbose", "scan", "logs", log, "--db", tmp_path / "c.db")
    records = [json.loads(line) for line in result.stderr.splitlines()]
    error = next(r for r in records if r["level"] == "error")
    assert error["where"] == f"{log}:2" and "expected 10" in error["reason"]
    summary = next(r for r in records if r["level"] == "info")
    assert summary["status"] == "partial" and summary["counts"]["bad_records"] == 1
