"""The `shadowai` command group."""

from __future__ import annotations

import click

from scanner import __version__
from scanner.cli import reporting
from scanner.cli.catalogue import catalogue_group
from scanner.cli.demo import demo_command
from scanner.cli.discover import discover_command
from scanner.cli.init import init_command
from scanner.cli.inventory import export_command, inventory_command
from scanner.cli.plugins import plugins_command
from scanner.cli.prune import prune_command
from scanner.cli.report import report_command
from scanner.cli.risk_register import risk_register_command
from scanner.cli.runs import runs_command
from scanner.cli.scan import scan_group
from scanner.exit_codes import HELP
from scanner.plugins.manager import call_each


@click.group(help=f"""Find where AI services are really used, and keep an auditable inventory of it.

Start with 'shadowai demo', then 'shadowai scan logs PATH' and 'shadowai inventory'.

{HELP}""")
@click.version_option(__version__, prog_name="shadowai")
@click.option("--log-format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              envvar="SHADOWAI_LOG_FORMAT", help="Messages on stderr as text lines or JSON objects (env SHADOWAI_LOG_FORMAT).")
@click.option("--verbose", "-v", is_flag=True, help="Show summaries even when stderr is not a terminal (cron).")
def cli(log_format, verbose):
    reporting.settings = reporting.Reporting(log_format=log_format, verbose=verbose)


for command in (demo_command, scan_group, inventory_command, export_command, runs_command, catalogue_group,
                plugins_command, init_command, discover_command, risk_register_command, report_command,
                prune_command):
    cli.add_command(command)

call_each("register_scan_commands", scan=scan_group)
call_each("register_commands", cli=cli)
