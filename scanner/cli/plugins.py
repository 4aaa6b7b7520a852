"""`shadowai plugins`: which discovery modules and extensions are loaded."""

from __future__ import annotations

import sys

import click

from scanner.cli.options import format_option
from scanner.cli.output import write_rows
from scanner.plugins.manager import describe_plugins


@click.command(name="plugins")
@format_option("table", "json", default="table")
def plugins_command(output_format):
    """List loaded plugins: the built-in modules and any installed from the 'shadowai' entry-point group.

    Example: shadowai plugins --format json
    """
    rows = [dict(p, hooks=", ".join(p["hooks"])) for p in describe_plugins()]
    write_rows(rows, ["name", "builtin", "version", "hooks", "problem"], output_format, sys.stdout)
