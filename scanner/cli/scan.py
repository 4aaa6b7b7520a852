"""`shadowai scan <source>`: the group that discovery-module plugins add their commands to."""

from __future__ import annotations

import click

from scanner.exit_codes import HELP


@click.group(name="scan")
def scan_group():
    """Scan one kind of source into the inventory (each invocation is one run).

    Example: shadowai scan logs /var/log/squid/access.log
    """


scan_group.help += "\n\n" + HELP
