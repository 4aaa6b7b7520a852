"""Options shared by many commands, declared once (as sqlite-utils does with its output options)."""

from __future__ import annotations

import click

from scanner.catalogue.loader import CatalogueError, load_catalogue
from scanner.inventory.database import DEFAULT_DB, DatabaseError, open_db


def db_option(function):
    return click.option(
        "--db", "db_path", envvar="SHADOWAI_DB", default=DEFAULT_DB, show_default=True,
        type=click.Path(dir_okay=False), help="Inventory database (env SHADOWAI_DB).",
    )(function)


def signatures_option(function):
    return click.option(
        "--signatures", "signature_dirs", multiple=True, type=click.Path(file_okay=False, exists=True),
        help="Extra signature folder layered over the built-in catalogue (repeatable).",
    )(function)


def quiet_option(function):
    return click.option("--quiet", "-q", is_flag=True, help="No progress or summary; errors only.")(function)


def format_option(*choices: str, default: str):
    def decorate(function):
        return click.option(
            "--format", "output_format", type=click.Choice(choices), default=default, show_default=True,
            help="Output format.",
        )(function)
    return decorate


def catalogue_from(signature_dirs):
    try:
        return load_catalogue(signature_dirs)
    except CatalogueError as exc:
        raise click.UsageError(str(exc)) from exc


def database_from(db_path, *, create: bool = True):
    try:
        return open_db(db_path, create=create)
    except DatabaseError as exc:
        raise click.ClickException(str(exc)) from exc


def echo_error(where: str, message: str) -> None:
    click.echo(f"{where}: {message}", err=True)
