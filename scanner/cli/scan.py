"""`shadowai scan <source>`: the group that discovery-module plugins add their commands to.

With no source, `shadowai scan` runs every source of the configuration (scanner/cli/scan_all.py).
"""

from __future__ import annotations

import inspect

import click

from scanner.cli.configuration import config_option
from scanner.cli.lazy_group import LazyGroup
from scanner.cli.options import db_option, fail_on_new_option, quiet_option, signatures_option, wait_option
from scanner.exit_codes import HELP, PRECEDENCE_HELP


@click.group(name="scan", cls=LazyGroup, invoke_without_command=True)
@config_option
@db_option
@signatures_option
@wait_option
@fail_on_new_option
@click.option("--no-notify", is_flag=True, help="Send no notification, whatever [notifications] in the config says.")
@quiet_option
@click.pass_context
def scan_group(ctx, config_path, db_path, signature_dirs, wait, fail_on_new, no_notify, quiet):
    """Scan one kind of source into the inventory (each invocation is one run), or, with no source named,
    every source of the configuration file ([sources.*] in shadowai.toml): the scheduled scan for cron.

    With no source: each enabled source runs through its own command, incrementally, one run each, in a
    fixed order (logs, repo, aws, azure, gcp, entra, google, github, slack, pcap, dns_zone); a source that
    fails is a coverage gap of the parent 'scan' run and the next one still runs. The inventory's lock is held
    throughout. Then [notifications] are sent: new unsanctioned services, new users of blocked services,
    sources that failed; a notification that cannot be delivered after its retries is a coverage gap.
    The options below apply only to this form; a named source takes its own options after its name.

    Example: shadowai scan logs /var/log/squid/access.log

    Example: shadowai scan --config /etc/shadowai/shadowai.toml --db /var/lib/shadowai/shadowai.db
    """
    from scanner.cli.scan_all import scan_every_source

    scan_every_source(ctx, config_path=config_path, db_path=db_path, signature_dirs=signature_dirs, wait=wait,
                      fail_on_new=fail_on_new, quiet=quiet, no_notify=no_notify)


scan_group.help = inspect.cleandoc(scan_group.help) + "\n\n" + HELP + "\n\n" + PRECEDENCE_HELP
