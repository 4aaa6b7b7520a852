"""Options shared by many commands, declared once (as sqlite-utils does with its output options)."""

from __future__ import annotations

import contextlib
import re
import sys

import click

from scanner import exit_codes
from scanner.cli import reporting
from scanner.interruption import StopFlag
from scanner.inventory.lock import DatabaseLock, LockNotAcquired

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


def set_quiet(ctx, _param, value):
    if value:
        reporting.settings.quiet = True  # the group callback made a fresh Reporting for this invocation
    return value


def quiet_option(function):
    return click.option("--quiet", "-q", is_flag=True, callback=set_quiet,
                        help="No progress or summary; errors only.")(function)


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
    reporting.error(where, message)


def wait_option(function):
    return click.option(
        "--wait", type=click.FloatRange(0), default=60, show_default=True, metavar="SECONDS",
        help="How long to wait for another scan holding the inventory's lock; then exit 4.",
    )(function)


def fail_on_new_option(function):
    return click.option(
        "--fail-on-new", is_flag=True,
        help="Exit 3 when this scan finds an AI service that is new to the inventory and not sanctioned.",
    )(function)


def scan_options(function):
    """The options every `scan <source>` command ends with: --db, --signatures, --wait, --fail-on-new, --quiet."""
    for option in (quiet_option, fail_on_new_option, wait_option, signatures_option, db_option):
        function = option(function)
    return function


def matching(pattern: str, what: str):
    """A callback for a repeatable option whose every value must be PATTERN in full; another value is a usage
    error: 'VALUE' is not WHAT."""
    compiled = re.compile(pattern)

    def check(_ctx, _param, values):
        for value in values:
            if not compiled.fullmatch(value):
                raise click.BadParameter(f"{value!r} is not {what}")
        return values
    return check


def subjects_option(function):
    return click.option(
        "--subjects", "subjects_file", type=click.Path(dir_okay=False, exists=True),
        help="CSV mapping IP/CIDR to device, user and department (header: network,device,user,department).",
    )(function)


def subjects_from(subjects_file):
    """The subject map of --subjects and the problems of its bad rows (None and none without the option); a map
    that cannot be read at all is a usage error naming the option."""
    if not subjects_file:
        return None, []
    from scanner.subjects import SubjectMap, SubjectMapError

    try:
        return SubjectMap.load(subjects_file)
    except SubjectMapError as exc:
        raise click.BadParameter(str(exc), param_hint="--subjects") from exc


@contextlib.contextmanager
def scan_session(db_path, wait: float):
    """Hold the inventory's lock (exit 4 if another scan keeps it), open it, and turn SIGTERM/SIGINT into a
    request to stop after the current batch."""
    try:
        lock = DatabaseLock(db_path, wait).__enter__()
    except LockNotAcquired as exc:
        reporting.emit("error", f"shadowai: {exc}")
        sys.exit(exit_codes.LOCKED)
    try:
        db = database_from(db_path)
        with StopFlag() as stop:
            yield db, stop
    finally:
        lock.__exit__(None, None, None)


def scan_exit_code(status: str, new_services: list[str]) -> int:
    for service_id in new_services:
        reporting.emit("warning", f"new unsanctioned AI service: {service_id}", service_id=service_id)
    if status == "interrupted":
        return exit_codes.INTERRUPTED
    if new_services:
        return exit_codes.NEW_UNSANCTIONED
    return exit_codes.OK if status == "succeeded" else exit_codes.PARTIAL
