"""Configured sources run through their `shadowai scan` command; what cannot run is a gap, not a crash."""

import click
import pytest

from scanner.config.model import SourceConfig
from scanner.inventory.runs import start_run
from scanner.scope.run_sources import SourceMismatch, command_line, invoke, run_source


@click.command(name="aws")
@click.option("--profile")
@click.option("--regions")
@click.option("--services", "services", multiple=True)
@click.option("--cost/--no-cost", default=True)
@click.option("--cloudtrail/--no-cloudtrail", default=True)
@click.option("--db", "db_path")
@click.option("--signatures", "signature_dirs", multiple=True)
@click.option("--quiet", is_flag=True)
def fake_aws(**kwargs):
    """A command shaped like `scan aws`."""


@click.command(name="logs")
@click.argument("paths", nargs=-1, required=True)
@click.option("--parse-all", is_flag=True)
def fake_logs(paths, parse_all):
    """A command shaped like `scan logs`."""
    raise SystemExit(1 if "bad" in paths[0] else 0)


def test_options_become_the_commands_own_flags():
    source = SourceConfig("aws", {"profile": "audit", "regions": ["eu-west-1", "us-east-1"], "services": ["bedrock"],
                                  "cost": False, "cloudtrail": True})
    argv = command_line(source, fake_aws, db_path="x.db", signature_dirs=["sig"], quiet=True)
    assert argv == ["--profile", "audit", "--regions", "eu-west-1,us-east-1", "--services", "bedrock", "--no-cost",
                    "--cloudtrail", "--db", "x.db", "--signatures", "sig", "--quiet"]


def test_positional_values_come_last_after_a_double_dash():
    source = SourceConfig("logs", {"paths": ["-odd.log", "b.log"], "parse_all": True})
    assert command_line(source, fake_logs, db_path="x.db", signature_dirs=[], quiet=False) == [
        "--parse-all", "--", "-odd.log", "b.log"]


def test_an_option_the_command_lacks_is_a_mismatch():
    with pytest.raises(SourceMismatch, match="has no option for 'org_role'"):
        command_line(SourceConfig("aws", {"org_role": "X"}), fake_aws, db_path="x", signature_dirs=[], quiet=False)


def test_invoke_returns_exit_codes_and_usage_messages():
    assert invoke(fake_logs, ["a.log"], "shadowai scan logs") == (0, None)
    assert invoke(fake_logs, ["bad.log"], "shadowai scan logs") == (1, None)
    code, message = invoke(fake_logs, ["--nope", "a.log"], "shadowai scan logs")
    assert code == 2 and "--nope" in message


def test_a_source_whose_module_is_missing_is_a_gap(db):
    outcome = run_source(db, SourceConfig("pcap", {"files": ["x.pcap"]}), {}, db_path="x", signature_dirs=[],
                         quiet=True)
    assert outcome.exit_code is None and "module not installed" in outcome.gap and "scan pcap" in outcome.gap


def test_a_crashing_module_is_a_gap_and_not_a_crash(db):
    @click.command(name="pcap")
    @click.argument("files", nargs=-1)
    def broken(files):
        """Crashes."""
        raise RuntimeError("boom")

    start_run(db, "discover", catalogue_version="t")
    outcome = run_source(db, SourceConfig("pcap", {"files": ["x.pcap"]}), {"pcap": broken}, db_path="x",
                         signature_dirs=[], quiet=True)
    assert outcome.exit_code == 1 and "RuntimeError: boom" in outcome.gap
