"""The `--config` and `--templates` options, and turning the configuration into what a command needs."""

from __future__ import annotations

import os
from pathlib import Path

import click

from scanner.catalogue.loader import Catalogue
from scanner.cli.options import catalogue_from
from scanner.config import DEFAULT_CONFIG, Config, ConfigError, load_config
from scanner.config.sanctions import apply_sanctions, load_sanctions


def config_option(function):
    return click.option(
        "--config", "config_path", envvar="SHADOWAI_CONFIG", default=None, metavar="PATH",
        type=click.Path(dir_okay=False),
        help=f"Configuration file (env SHADOWAI_CONFIG; default ./{DEFAULT_CONFIG} when it exists).",
    )(function)


def templates_option(function):
    return click.option(
        "--templates", "templates_dir", type=click.Path(file_okay=False, exists=True), default=None,
        help="Folder of report templates that replace the built-in ones of the same name (default: the "
             "config's 'templates', else the built-in reports/).",
    )(function)


def config_from(config_path: str | None) -> Config:
    """The named configuration (it must exist), else ./shadowai.toml when present, else every default."""
    if config_path is None:
        if not os.path.exists(DEFAULT_CONFIG):
            return Config(path=None)
        config_path = DEFAULT_CONFIG
    try:
        return load_config(config_path)
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from exc


def configured_catalogue(config: Config, signature_dirs) -> Catalogue:
    """The catalogue with the config's signature folders, then those given with --signatures."""
    return catalogue_from([str(p) for p in config.signatures] + list(signature_dirs))


def sync_sanctions(db, config: Config, catalogue: Catalogue) -> None:
    """Load the config's sanctions file into the inventory (the file is the policy)."""
    if config.sanctions is None:
        return
    try:
        apply_sanctions(db, load_sanctions(config.sanctions, catalogue))
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from exc


def templates_from(config: Config, templates_dir: str | None) -> Path | None:
    return Path(templates_dir) if templates_dir else config.templates


class template_errors:
    """Turn a broken template (a user's, most likely) into a usage error that names it."""

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        import jinja2

        from scanner.risk.templates import TemplateError

        if exc_type is None:
            return False
        if issubclass(exc_type, TemplateError):
            raise click.UsageError(str(exc)) from exc
        if issubclass(exc_type, jinja2.TemplateError):
            where = getattr(exc, "filename", None) or getattr(exc, "name", None) or "template"
            line = getattr(exc, "lineno", None)
            raise click.UsageError(f"{where}{f':{line}' if line else ''}: {exc}") from exc
        return False
