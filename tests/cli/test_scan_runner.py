"""The end every `scan <source>` command shares (scanner/cli/scan_runner.py): the scan runs under the inventory's
lock, its summary line carries the run's id, status and counts, and the exit code says how the run ended and
whether it found a new unsanctioned AI service."""

import json
from dataclasses import dataclass

import click
import pytest
from click.testing import CliRunner

from scanner import exit_codes
from scanner.cli import reporting
from scanner.cli.options import catalogue_from, scan_options
from scanner.cli.scan_runner import run_scan
from scanner.interruption import StopFlag
from tests.support.findings import add_findings, seen
from tests.support.lock_holder import lock_held_elsewhere


@dataclass
class Result:
    run_id: int
    status: str
    counts: dict


def source_command(scan):
    """A `scan <source>` command built as the real ones are, around SCAN(db, stop)."""
    @click.command(name="fake")
    @scan_options
    def fake_command(db_path, signature_dirs, wait, fail_on_new, quiet):
        catalogue = catalogue_from(signature_dirs)
        run_scan(db_path, wait, catalogue, fail_on_new=fail_on_new, scan=scan,
                 summary=lambda result: f"{result.counts.get('files', 0)} files, {result.counts['hosts']} hosts")
    return fake_command


def seeing(service_id: str, *, status: str | None = None):
    """A scan that records one run with one finding of SERVICE_ID, ending as the run ends or as STATUS."""
    calls = []

    def scan(db, stop):
        calls.append((db, stop))
        run_id = add_findings(db, [seen(service_id, "10.0.0.7")])
        return Result(run_id, status or db["runs"].get(run_id)["status"], {"hosts": 1})
    scan.calls = calls
    return scan


def invoke(scan, *args):
    return CliRunner().invoke(source_command(scan), [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(autouse=True)
def json_log(monkeypatch):
    monkeypatch.setattr(reporting, "settings", reporting.Reporting(log_format="json", verbose=True))


def records(result) -> list[dict]:
    return [json.loads(line) for line in result.stderr.splitlines()]


def test_the_summary_line_names_the_run_and_its_status_and_carries_the_counts_as_fields(db_path):
    scan = seeing("openai-api")
    result = invoke(scan, "--db", db_path)

    assert result.exit_code == exit_codes.OK
    assert records(result) == [{"time": records(result)[0]["time"], "level": "info",
                                "message": "run 1 succeeded: 0 files, 1 hosts",
                                "run_id": 1, "status": "succeeded", "counts": {"hosts": 1}}]
    (db, stop), = scan.calls
    assert db["runs"].count == 1 and isinstance(stop, StopFlag)


def test_quiet_silences_the_summary_but_not_the_exit_code(db_path):
    result = invoke(seeing("openai-api", status="partial"), "--db", db_path, "--quiet")
    assert result.exit_code == exit_codes.PARTIAL and result.stderr == ""


def test_fail_on_new_warns_of_a_new_unsanctioned_service_and_exits_3_until_it_is_known(db_path):
    first = invoke(seeing("openai-api"), "--db", db_path, "--fail-on-new")
    again = invoke(seeing("openai-api"), "--db", db_path, "--fail-on-new")

    assert first.exit_code == exit_codes.NEW_UNSANCTIONED
    warning, = [r for r in records(first) if r["level"] == "warning"]
    assert warning["message"] == "new unsanctioned AI service: openai-api" and warning["service_id"] == "openai-api"
    assert again.exit_code == exit_codes.OK and not [r for r in records(again) if r["level"] == "warning"]


def test_without_fail_on_new_a_new_service_changes_neither_the_exit_code_nor_the_messages(db_path):
    result = invoke(seeing("openai-api"), "--db", db_path)
    assert result.exit_code == exit_codes.OK and [r["level"] for r in records(result)] == ["info"]


@pytest.mark.parametrize("status, code", [("succeeded", exit_codes.OK), ("partial", exit_codes.PARTIAL),
                                          ("failed", exit_codes.PARTIAL), ("interrupted", exit_codes.INTERRUPTED)])
def test_the_exit_code_follows_how_the_run_ended(db_path, status, code):
    assert invoke(seeing("openai-api", status=status), "--db", db_path).exit_code == code


def test_an_interrupted_run_exits_130_even_when_it_found_a_new_service(db_path):
    result = invoke(seeing("openai-api", status="interrupted"), "--db", db_path, "--fail-on-new")
    assert result.exit_code == exit_codes.INTERRUPTED
    assert [r["service_id"] for r in records(result) if r["level"] == "warning"] == ["openai-api"]


def test_a_scan_that_cannot_have_the_inventory_exits_4_without_running(db_path):
    scan = seeing("openai-api")
    with lock_held_elsewhere(db_path):
        result = invoke(scan, "--db", db_path, "--wait", "0.2")
    assert result.exit_code == exit_codes.LOCKED and scan.calls == []
    assert "inventory is locked by pid" in records(result)[0]["message"]
