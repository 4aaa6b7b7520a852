"""`shadowai scan capture`: live capture on the loopback interface, and the clear error without privileges."""

from __future__ import annotations

import ctypes
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scanner.inventory.database import open_db
from tests.cli.runner import shadowai

ROOT = Path(__file__).resolve().parents[3]
SHADOWAI = [sys.executable, "-c", "from scanner.cli.main import cli; cli()"]


PR_CAPBSET_DROP, CAP_NET_ADMIN, CAP_NET_RAW = 24, 12, 13


def drop_capture_capabilities() -> None:
    """In the child before exec: take CAP_NET_RAW and CAP_NET_ADMIN out of the bounding set, so that even root's
    next program runs without them (capabilities(7): a root execve gets at most the bounding set)."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (CAP_NET_RAW, CAP_NET_ADMIN):
        if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def capture(db_path: Path, *options: str, unprivileged: bool = False) -> subprocess.Popen:
    return subprocess.Popen([*SHADOWAI, "scan", "capture", "--db", str(db_path), *options], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=drop_capture_capabilities if unprivileged else None)


def dns_question(name: str) -> bytes:
    labels = b"".join(bytes([len(part)]) + part.encode() for part in name.split("."))
    return b"\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00" + labels + b"\x00\x00\x01\x00\x01"


@pytest.mark.skipif(os.geteuid() != 0, reason="live capture needs root")
def test_live_capture_on_loopback_sees_a_dns_question_once(tmp_path):
    db_path = tmp_path / "live.db"
    sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sender.bind(("127.0.0.1", 0))
    port = sender.getsockname()[1]  # the filter keeps this test's packets only
    process = capture(db_path, "--interface", "lo", "--duration", "6", "--bpf", f"udp and src port {port}")
    deadline = time.monotonic() + 60
    while process.poll() is None and time.monotonic() < deadline:
        # Repeated until the capture ends: the same question (same port and id) retransmitted counts once.
        sender.sendto(dns_question("claude.ai"), ("127.0.0.1", 53))
        sender.sendto(b"\x00" * 12, ("127.0.0.1", 5399))  # neither DNS nor QUIC: read, then dropped
        time.sleep(0.2)
    sender.close()
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    rows = list(open_db(db_path).query("select * from findings"))
    assert [(row["service_id"], row["subject"], row["hits"]) for row in rows] == [("claude", "127.0.0.1", 1)]
    assert json.loads(rows[0]["evidence"])["via"] == "dns-query"
    run = next(open_db(db_path).query("select * from runs"))
    assert run["module"] == "capture" and run["status"] == "succeeded"


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to drop capabilities from the bounding set")
def test_without_privileges_the_run_records_a_clear_gap(tmp_path, db_path):
    process = capture(db_path, "--interface", "lo", "--duration", "1", unprivileged=True)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 1, stderr
    assert "needs root or the CAP_NET_RAW capability" in stderr
    run = next(open_db(db_path).query("select * from runs"))
    assert run["status"] == "partial" and "CAP_NET_RAW" in run["coverage_gaps"]


def test_an_interface_that_does_not_exist_is_a_gap(tmp_path, db_path):
    result = shadowai("scan", "capture", "--interface", "nosuch0", "--duration", "1", "--db", str(db_path))
    assert result.exit_code == 1
    assert "nosuch0" in result.output
