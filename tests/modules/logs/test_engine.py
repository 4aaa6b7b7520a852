"""The scanning engine: parallel ranges give the same findings as one process; compressed input; damage."""

import bz2
import gzip
import json
import lzma
import sqlite3

import pytest
import zstandard

from scanner.modules.logs import parallel
from tests.cli.runner import shadowai
from tests.squid_lines import squid, write_log

T0 = 1764460800.0


def findings(db_path):
    with sqlite3.connect(db_path) as conn:
        return sorted(conn.execute(
            "select service_id, subject, location, hits, first_seen, last_seen, evidence from findings"))


def last_run(db_path):
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    return dict(conn.execute("select * from runs order by id desc limit 1").fetchone())


def big_log(path, lines=6000):
    rows = []
    for i in range(lines):
        host = ("chatgpt.com", "claude.ai", "api.openai.com")[i % 3] if i % 97 == 0 else f"site{i % 500}.example.org"
        rows.append(squid(T0 + i, host, user=f"user{i % 7}"))
        if i in (1500, 4500):
            rows.append("1764460801.000 12 10.0.0.5 TCP_MISS/200 100 GET https://claude.ai/cut")
    write_log(path, rows)


def test_parallel_ranges_give_the_same_findings_errors_and_line_numbers(tmp_path, monkeypatch):
    log = tmp_path / "access.log"
    big_log(log)
    monkeypatch.setattr(parallel, "RANGE_BYTES", 64 << 10)
    monkeypatch.setattr(parallel, "PARALLEL_THRESHOLD", 128 << 10)
    one = shadowai("scan", "logs", log, "--workers", "1", "--db", tmp_path / "one.db")
    two = shadowai("scan", "logs", log, "--workers", "2", "--db", tmp_path / "two.db")
    assert one.exit_code == two.exit_code == 1
    assert findings(tmp_path / "one.db") == findings(tmp_path / "two.db")
    errors_one = json.loads(last_run(tmp_path / "one.db")["errors"])
    errors_two = json.loads(last_run(tmp_path / "two.db")["errors"])
    assert errors_one == errors_two and [e["where"] for e in errors_one] == [f"{log}:1502", f"{log}:4503"]
    read = json.loads(last_run(tmp_path / "two.db")["inputs"])[0]["read"]
    assert len(read) > 2 and read[0]["from"] == 0 and read[-1]["to"] == log.stat().st_size


def test_parallel_scan_resumes_from_the_cursor_without_double_counting(tmp_path, monkeypatch):
    log = tmp_path / "access.log"
    big_log(log)
    monkeypatch.setattr(parallel, "RANGE_BYTES", 64 << 10)
    monkeypatch.setattr(parallel, "PARALLEL_THRESHOLD", 128 << 10)
    db = tmp_path / "inv.db"
    shadowai("scan", "logs", log, "--workers", "2", "--db", db)
    before = findings(db)
    shadowai("scan", "logs", log, "--workers", "2", "--db", db)
    assert findings(db) == before


@pytest.mark.parametrize("suffix, opener", [
    (".gz", lambda p: gzip.open(p, "wb")),
    (".bz2", lambda p: bz2.open(p, "wb")),
    (".xz", lambda p: lzma.open(p, "wb")),
    (".zst", lambda p: zstandard.ZstdCompressor().stream_writer(open(p, "wb"))),
])
def test_compressed_logs_are_recognised_by_their_magic_bytes(tmp_path, db_path, suffix, opener):
    log = tmp_path / f"access.log.1{suffix}"
    with opener(log) as handle:
        handle.write("".join(squid(T0 + i, "claude.ai", user="z") + "\n" for i in range(5)).encode())
    result = shadowai("scan", "logs", log, "--db", db_path)
    assert result.exit_code == 0, result.output
    assert [(f[0], f[1], f[3]) for f in findings(db_path)] == [("claude", "z", 5)]
    assert json.loads(last_run(db_path)["inputs"])[0]["compression"] == suffix.strip(".").replace(
        "gz", "gzip").replace("bz2", "bzip2").replace("zst", "zstd")


def test_a_truncated_gzip_keeps_what_was_read_and_records_the_damage(tmp_path, db_path):
    whole = gzip.compress("".join(squid(T0 + i, "claude.ai", user=f"u{i}") + "\n" for i in range(4000)).encode())
    log = tmp_path / "access.log.gz"
    log.write_bytes(whole[: len(whole) * 2 // 3])
    result = shadowai("scan", "logs", log, "--db", db_path)
    assert result.exit_code == 1
    assert "gzip data damaged or cut short" in result.stderr
    kept = findings(db_path)
    assert 0 < len(kept) < 4000


def test_binary_garbage_is_counted_and_good_lines_still_read(tmp_path, db_path):
    log = tmp_path / "access.log"
    good = [squid(T0 + i, "claude.ai", user="g") for i in range(3)]
    log.write_bytes(("\n".join(good) + "\n").encode() + b"\x00\x01\x02claude.ai\xff\x00\n" + (good[0] + "\n").encode())
    result = shadowai("scan", "logs", log, "--db", db_path)
    assert result.exit_code == 1
    assert f"{log}:4: squid-native: binary data (NUL bytes)" in result.stderr
    assert [(f[0], f[3]) for f in findings(db_path)] == [("claude", 4)]
