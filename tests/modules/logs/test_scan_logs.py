"""`shadowai scan logs` end to end: detection, incremental reading, rotation, bad lines, stdin, gzip."""

import gzip
import json
import sqlite3

from tests.cli.runner import shadowai
from tests.squid_lines import append_log, squid, write_log

T0 = 1764460800.0  # 2025-11-30T00:00:00Z


def hits(db_path) -> dict[tuple[str, str], int]:
    with sqlite3.connect(db_path) as conn:
        return {(s, subj): h for s, subj, h in conn.execute("select service_id, subject, hits from findings")}


def runs(db_path) -> list[dict]:
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    return [dict(r) for r in conn.execute("select * from runs order by id")]


def test_squid_log_findings_per_user_with_evidence_timestamps(tmp_path, db_path):
    log = tmp_path / "access.log"
    write_log(log, [
        squid(T0, "chatgpt.com", user="alice", path="/backend-api/conversation?token=SECRET"),
        squid(T0 + 60, "chatgpt.com", user="alice"),
        squid(T0 + 30, "api.openai.com", user="-", client="10.0.0.9", method="CONNECT"),
        squid(T0 + 90, "www.wikipedia.org", user="bob"),
    ])
    result = shadowai("scan", "logs", log, "--db", db_path, "--quiet")
    assert result.exit_code == 0, result.output
    assert hits(db_path) == {("chatgpt", "alice"): 2, ("openai-api", "10.0.0.9"): 1}
    conn = sqlite3.connect(db_path)
    first, last, evidence = conn.execute(
        "select first_seen, last_seen, evidence from findings where service_id = 'chatgpt'").fetchone()
    assert (first, last) == ("2025-11-30T00:00:00Z", "2025-11-30T00:01:00Z")
    assert json.loads(evidence)["path"] == "/backend-api/conversation"  # query string (tokens) dropped
    assert "SECRET" not in evidence


def test_scanning_the_same_file_twice_leaves_every_hit_count_unchanged(tmp_path, db_path):
    log = tmp_path / "access.log"
    write_log(log, [squid(T0 + i, "claude.ai", user=f"u{i % 3}") for i in range(30)])
    shadowai("scan", "logs", log, "--db", db_path, "-q")
    before = hits(db_path)
    result = shadowai("scan", "logs", log, "--db", db_path, "-q")
    assert result.exit_code == 0
    assert hits(db_path) == before == {("claude", "u0"): 10, ("claude", "u1"): 10, ("claude", "u2"): 10}
    assert json.loads(runs(db_path)[-1]["counts"])["files_unchanged"] == 1


def test_appended_lines_are_counted_once(tmp_path, db_path):
    log = tmp_path / "access.log"
    write_log(log, [squid(T0, "claude.ai", user="a")])
    shadowai("scan", "logs", log, "--db", db_path, "-q")
    append_log(log, [squid(T0 + 1, "claude.ai", user="a"), squid(T0 + 2, "claude.ai", user="a")])
    shadowai("scan", "logs", log, "--db", db_path, "-q")
    shadowai("scan", "logs", log, "--db", db_path, "-q")
    assert hits(db_path) == {("claude", "a"): 3}


def test_a_rotated_log_is_not_read_again_under_its_new_name(tmp_path, db_path):
    log = tmp_path / "access.log"
    write_log(log, [squid(T0 + i, "claude.ai", user="a") for i in range(5)])
    shadowai("scan", "logs", log, "--db", db_path, "-q")
    log.rename(tmp_path / "access.log.1")
    write_log(log, [squid(T0 + 100 + i, "claude.ai", user="a") for i in range(2)])
    shadowai("scan", "logs", tmp_path, "--db", db_path, "-q")
    assert hits(db_path) == {("claude", "a"): 7}
    locations = {row[0] for row in sqlite3.connect(db_path).execute("select location from findings")}
    assert locations == {str(log)}  # rotation suffix stripped: one log, one location


def test_bad_lines_are_reported_with_file_and_line_and_the_rest_is_kept(tmp_path, db_path):
    log = tmp_path / "access.log"
    write_log(log, [
        squid(T0, "claude.ai", user="a"),
        "1764460801.000 12 10.0.0.5 TCP_MISS/200 100 GET https://claude.ai/x",  # cut short
        squid(T0 + 2, "claude.ai", user="a"),
        "notatime 12 10.0.0.5 TCP_MISS/200 100 GET https://claude.ai/ a HIER_DIRECT/1.2.3.4 text/html",
        squid(T0 + 4, "claude.ai", user="a"),
    ])
    result = shadowai("scan", "logs", log, "--db", db_path)
    assert result.exit_code == 1  # partial
    assert f"{log}:2: squid-native: expected 10 space-separated fields, found 7" in result.stderr
    assert f"{log}:4: squid-native: timestamp 'notatime'" in result.stderr
    assert hits(db_path) == {("claude", "a"): 3}
    run = runs(db_path)[-1]
    assert run["status"] == "partial"
    assert json.loads(run["counts"])["bad_records"] == 2
    assert [e["where"] for e in json.loads(run["errors"])] == [f"{log}:2", f"{log}:4"]


def test_host_list_format_is_detected_and_uses_file_time(tmp_path, db_path):
    hosts = tmp_path / "hosts.txt"
    hosts.write_text("# resolver export\napi.anthropic.com\nwww.debian.org\nhttps://api.mistral.ai/v1/chat\n")
    result = shadowai("scan", "logs", hosts, "--db", db_path, "-q")
    assert result.exit_code == 0, result.output
    assert set(hits(db_path)) == {("anthropic-api", "unknown"), ("mistral-api", "unknown")}


def test_gzip_logs_are_read_and_not_read_twice(tmp_path, db_path):
    log = tmp_path / "access.log.2.gz"
    with gzip.open(log, "wt") as handle:
        handle.write("".join(squid(T0 + i, "claude.ai", user="z") + "\n" for i in range(4)))
    shadowai("scan", "logs", log, "--db", db_path, "-q")
    shadowai("scan", "logs", log, "--db", db_path, "-q")
    assert hits(db_path) == {("claude", "z"): 4}


def test_stdin_is_read_with_format_detection(db_path):
    lines = "".join(squid(T0 + i, "claude.ai", user="s") + "\n" for i in range(3))
    result = shadowai("scan", "logs", "-", "--db", db_path, "-q", input=lines)
    assert result.exit_code == 0, result.output
    assert hits(db_path) == {("claude", "s"): 3}


def test_unrecognised_format_and_missing_paths_are_coverage_gaps(tmp_path, db_path):
    odd = tmp_path / "odd.log"
    odd.write_text("this is a free-text note, not a log\nwith two lines of it\n")
    result = shadowai("scan", "logs", odd, tmp_path / "absent.log", "--db", db_path)
    assert result.exit_code == 1
    gaps = json.loads(runs(db_path)[-1]["coverage_gaps"])
    assert [g["what"] for g in gaps] == [str(tmp_path / "absent.log"), str(odd)]
    assert "format not recognised" in gaps[1]["why"]


def test_forced_format_must_exist(tmp_path, db_path):
    result = shadowai("scan", "logs", tmp_path, "--format", "nope", "--db", db_path)
    assert result.exit_code == 2
    assert "unknown format 'nope'" in result.output


def test_list_formats_names_the_builtin_formats():
    result = shadowai("scan", "logs", "--list-formats")
    assert result.exit_code == 0
    assert "squid-native" in result.output and "host-list" in result.output


def test_run_records_inputs_with_size_and_hash(tmp_path, db_path):
    log = tmp_path / "access.log"
    write_log(log, [squid(T0, "claude.ai")])
    shadowai("scan", "logs", log, "--db", db_path, "-q")
    [entry] = json.loads(runs(db_path)[-1]["inputs"])
    assert entry["path"] == str(log) and entry["size"] == log.stat().st_size
    assert entry["format"] == "squid-native"
    import hashlib
    assert entry["read"] == [{"from": 0, "to": log.stat().st_size, "sha256": hashlib.sha256(log.read_bytes()).hexdigest()}]


def test_fast_mode_parses_only_lines_naming_a_catalogue_host_and_parse_all_checks_every_line(tmp_path, db_path):
    log = tmp_path / "access.log"
    write_log(log, [squid(T0, "claude.ai", user="a"), "garbage without any host", squid(T0 + 1, "example.org")])
    fast = shadowai("scan", "logs", log, "--db", db_path)
    assert fast.exit_code == 0 and "garbage" not in fast.stderr
    strict = shadowai("scan", "logs", log, "--parse-all", "--db", tmp_path / "strict.db")
    assert strict.exit_code == 1
    assert f"{log}:2: squid-native: expected 10 space-separated fields, found 4" in strict.stderr
    assert hits(db_path) == hits(tmp_path / "strict.db") == {("claude", "a"): 1}


def test_files_with_the_same_header_line_are_different_files(tmp_path, db_path):
    # Every IIS/W3C (and Zeek) file starts with the same line; the date header and first record tell them apart.
    def w3c(day, hosts):
        return ["#Software: Microsoft Internet Information Services 10.0", "#Version: 1.0",
                f"#Date: 2025-11-{day:02d} 00:00:00", "#Fields: date time c-ip cs-host cs-uri-stem sc-status",
                *[f"2025-11-{day:02d} 00:00:{i:02d} 10.0.0.{i} {h} / 200" for i, h in enumerate(hosts)]]
    first, second = tmp_path / "u_ex251101.log", tmp_path / "u_ex251102.log"
    write_log(first, w3c(1, ["claude.ai", "claude.ai"]))
    write_log(second, w3c(2, ["claude.ai", "chatgpt.com", "claude.ai"]))
    shadowai("scan", "logs", first, "--db", db_path, "-q")
    shadowai("scan", "logs", second, "--db", db_path, "-q")
    shadowai("scan", "logs", tmp_path, "--db", db_path, "-q")
    with sqlite3.connect(db_path) as conn:
        totals = dict(conn.execute("select service_id, sum(hits) from findings group by service_id"))
    assert totals == {"claude": 4, "chatgpt": 1}


def test_a_headers_only_file_that_gets_records_later_is_counted_once(tmp_path, db_path):
    log = tmp_path / "u_ex251103.log"
    header = ["#Software: Microsoft Internet Information Services 10.0", "#Version: 1.0",
              "#Date: 2025-11-03 00:00:00", "#Fields: date time c-ip cs-host cs-uri-stem sc-status"]
    write_log(log, header)
    shadowai("scan", "logs", log, "--db", db_path, "-q", "--format", "w3c-extended")
    append_log(log, ["2025-11-03 00:00:01 10.0.0.1 claude.ai / 200"])
    shadowai("scan", "logs", log, "--db", db_path, "-q")
    append_log(log, ["2025-11-03 00:00:02 10.0.0.1 claude.ai / 200"])
    shadowai("scan", "logs", log, "--db", db_path, "-q")
    assert sum(hits(db_path).values()) == 2


def test_a_truncated_log_started_again_is_read_from_its_new_start(tmp_path, db_path):
    # copytruncate-style rotation: the same path is emptied and written again from the top.
    log = tmp_path / "access.log"
    write_log(log, [squid(T0 + i, "claude.ai", user="a") for i in range(5)])
    shadowai("scan", "logs", log, "--db", db_path, "-q")
    write_log(log, [squid(T0 + 100, "claude.ai", user="a"), squid(T0 + 101, "claude.ai", user="a")])
    shadowai("scan", "logs", log, "--db", db_path, "-q")
    shadowai("scan", "logs", log, "--db", db_path, "-q")
    assert hits(db_path) == {("claude", "a"): 7}
