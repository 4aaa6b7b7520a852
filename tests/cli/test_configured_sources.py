"""The code path that `discover` and `scan` share to run configured sources."""

import click

from scanner.cli.configured_sources import in_schema_order, scan_configured_sources
from scanner.config import Config, SourceConfig


class Stopped:
    requested = "SIGTERM"

    def __bool__(self):
        return True


def test_sources_run_in_the_order_of_the_schema_whatever_the_file_says():
    names = ["dns_zone", "github", "logs", "aws", "repo"]
    ordered = in_schema_order([SourceConfig(name, {}) for name in names])
    assert [s.name for s in ordered] == ["logs", "repo", "aws", "github", "dns_zone"]


def test_a_stop_request_between_sources_ends_the_loop_as_interrupted(db):
    ran = []

    @click.command(name="logs")
    @click.argument("paths", nargs=-1)
    def logs(paths):
        """Stands in for scan logs."""
        ran.append(paths)

    source = SourceConfig("logs", {"paths": ["a.log"]})
    scan = scan_configured_sources(db, Config(path=None, sources={"logs": source}), [source], module="scan",
                                   scope=None, catalogue_version="t", db_path="x.db", signature_dirs=[], quiet=True,
                                   commands={"logs": logs}, stop=Stopped())
    assert ran == [] and scan.interrupted and scan.outcomes == []
    assert scan.run.coverage_gaps == [{"what": "sources", "why": "stopped by SIGTERM before logs and the sources "
                                                                  "after it"}]


def test_the_run_of_a_module_that_crashed_is_sealed_as_failed(db):
    from scanner.inventory.runs import start_run, verify_chain

    @click.command(name="logs")
    @click.argument("paths", nargs=-1)
    def crashing(paths):
        """Starts its run, then crashes."""
        start_run(db, "logs", catalogue_version="t")
        raise RuntimeError("boom")

    source = SourceConfig("logs", {"paths": ["a.log"]})
    scan = scan_configured_sources(db, Config(path=None, sources={"logs": source}), [source], module="scan",
                                   scope=None, catalogue_version="t", db_path="x.db", signature_dirs=[], quiet=True,
                                   commands={"logs": crashing})
    [outcome] = scan.outcomes
    assert "RuntimeError: boom" in outcome.gap
    assert db["runs"].get(outcome.runs[0])["status"] == "failed" and verify_chain(db) == []
