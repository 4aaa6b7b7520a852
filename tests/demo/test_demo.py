"""`shadowai demo`, the README's first command: a realistic environment scanned end to end."""

import csv
import sqlite3

from tests.cli.runner import shadowai


def test_demo_scans_logs_and_a_repository_and_writes_the_csv(tmp_path):
    out = tmp_path / "demo"
    result = shadowai("demo", "--out", out)
    assert result.exit_code == 0, result.output
    assert "squid-native: expected 10 space-separated fields" in result.stderr  # the corrupt line, reported
    rows = list(csv.DictReader((out / "ai-inventory.csv").open(encoding="utf-8")))
    services = {row["service_id"] for row in rows}
    assert {"chatgpt", "claude", "openai-api", "gemini", "perplexity", "aws-bedrock", "azure-openai"} <= services
    assert any(row["source"] == "repo" for row in rows)
    subjects = {row["subject"] for row in rows if row["service_id"] == "chatgpt"}
    assert subjects == {"alice", "bob", "carol"}
    with sqlite3.connect(out / "shadowai.db") as conn:
        statuses = [status for (status,) in conn.execute("select status from runs order by id")]
        hosts = {h for (h,) in conn.execute("select json_extract(evidence, '$.host') from findings")}
    assert statuses == ["partial", "succeeded"]  # partial: the corrupt line
    assert not hosts & {"gemini.com", "notopenai.com", "x.com"}  # look-alikes and traps in the log
    assert shadowai("runs", "--verify", "--db", out / "shadowai.db").exit_code == 0


def test_demo_starts_from_an_empty_inventory_each_time(tmp_path):
    out = tmp_path / "demo"
    shadowai("demo", "--out", out, "--quiet")
    first = (out / "ai-inventory.csv").read_text(encoding="utf-8")
    shadowai("demo", "--out", out, "--quiet")
    with sqlite3.connect(out / "shadowai.db") as conn:
        assert conn.execute("select count(*) from runs").fetchone()[0] == 2
    second = (out / "ai-inventory.csv").read_text(encoding="utf-8")
    assert len(second.splitlines()) == len(first.splitlines())
