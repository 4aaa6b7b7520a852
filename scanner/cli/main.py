"""The `shadowai` command group.

Only the `scan` group is imported at start-up; every other command, and every `shadowai scan <source>` of the
built-in modules, is imported when it is run or its help is asked for (scanner.cli.lazy_group), so that a
scan does not pay for the SDKs and libraries of the others (boto3, msal, scapy, openpyxl, jinja2…).
"""

from __future__ import annotations

import click

from scanner import __version__
from scanner.cli import reporting
from scanner.cli.lazy_group import LazyGroup
from scanner.cli.scan import scan_group
from scanner.exit_codes import HELP
from scanner.plugins.lazy_commands import LazyCommand
from scanner.plugins.manager import call_each, lazy_scan_commands

# The short help is the first sentence of the command's help, listed by `shadowai --help` without importing
# the command (tests/cli/test_lazy_commands.py checks that each still matches).
COMMANDS = (
    LazyCommand("demo", "scanner.cli.demo:demo_command",
                "Build a small, realistic environment (a week of proxy log from five users, a DNS host list, a "
                "tiny git repository), scan it into a fresh inventory, print the AI services found and write the "
                "CSV export."),
    LazyCommand("inventory", "scanner.cli.inventory:inventory_command",
                "One row per AI service seen: vendor, category, sanction status, distinct subjects, sources, hits, "
                "first and last seen."),
    LazyCommand("export", "scanner.cli.inventory:export_command",
                "Export every finding (service x source x subject x location) with first/last seen, hits and the "
                "runs that saw it."),
    LazyCommand("runs", "scanner.cli.runs:runs_command",
                "List runs (status, counts, coverage gaps) and, with --verify, check that the history is intact."),
    LazyCommand("catalogue", "scanner.cli.catalogue:catalogue_group",
                "Browse and check the AI-service signature catalogue."),
    LazyCommand("plugins", "scanner.cli.plugins:plugins_command",
                "List loaded plugins: the built-in modules and any installed from the 'shadowai' entry-point "
                "group."),
    LazyCommand("init", "scanner.cli.init:init_command",
                "Write a commented starter configuration: sources to scan, scopes with their boundaries, and a "
                "sanctions file for the organisation's decisions."),
    LazyCommand("discover", "scanner.cli.discover:discover_command",
                "Run every source configured for a scope (each scan is a run of its own), then write the scope "
                "draft as Markdown, HTML and CSV: headline figures, AI services in use (sanctioned or shadow) with "
                "users, devices, accounts and repositories, risk facts, activity from outside the scope's "
                "boundaries, coverage gaps, and the questions the scoping workshop must settle."),
    LazyCommand("risk-register", "scanner.cli.risk_register:risk_register_command",
                "Write the AI risk register: one row per AI service in use and per unknown AI finding, with a "
                "stable id (AIR-<service>), risk statements from templates (data leaving to a third-party model, "
                "training on inputs, unsanctioned use, residency, exposed keys, untrusted model files), likelihood "
                "and impact from additive rules (reports/risk-register.md), suggested treatment, ISO/IEC 42001 "
                "Annex A references, owner, status and evidence (finding and run ids)."),
    LazyCommand("report", "scanner.cli.report:report_command",
                "Write the inventory as one self-contained HTML file (no script, font or image from elsewhere): "
                "headline figures, charts as inline SVG (services by users, new services per run, findings by "
                "source), the services, the highest risks, recent coverage gaps and the run-chain check."),
    LazyCommand("prune", "scanner.cli.prune:prune_command",
                "Apply a retention period to the inventory: findings last seen before the cutoff lose their "
                "evidence sample (user, client, path, file:line), but keep service, subject, location, first and "
                "last seen, hits and their first and last run; cursors of log files no longer on disk are "
                "dropped."),
)


@click.group(cls=LazyGroup, help=f"""Find where AI services are really used, and keep an auditable inventory of it.

Start with 'shadowai demo', then 'shadowai scan logs PATH' and 'shadowai inventory'.

{HELP}""")
@click.version_option(__version__, prog_name="shadowai")
@click.option("--log-format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              envvar="SHADOWAI_LOG_FORMAT", help="Messages on stderr as text lines or JSON objects (env SHADOWAI_LOG_FORMAT).")
@click.option("--verbose", "-v", is_flag=True, help="Show summaries even when stderr is not a terminal (cron).")
def cli(log_format, verbose):
    reporting.settings = reporting.Reporting(log_format=log_format, verbose=verbose)


cli.add_command(scan_group)
for entry in COMMANDS:
    cli.add_lazy_command(entry)

for plugin, entry in lazy_scan_commands():
    scan_group.add_lazy_command(entry, plugin=plugin)
call_each("register_scan_commands", scan=scan_group)
call_each("register_commands", cli=cli)
