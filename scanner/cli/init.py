"""`shadowai init`: write a commented starter shadowai.toml (and the sanctions file it points to)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import click

from scanner.config import DEFAULT_CONFIG


def starter_text(name: str) -> str:
    return resources.files("scanner.config").joinpath(name).read_text(encoding="utf-8")


@click.command(name="init")
@click.option("--config", "config_path", default=DEFAULT_CONFIG, show_default=True, type=click.Path(dir_okay=False),
              help="Where to write the configuration; sanctions.toml is written beside it.")
@click.option("--force", is_flag=True, help="Overwrite files that already exist.")
def init_command(config_path, force):
    """Write a commented starter configuration: sources to scan, scopes with their boundaries, and a
    sanctions file for the organisation's decisions. Every key is explained in the file.

    Example: shadowai init && shadowai discover --scope engineering
    """
    config = Path(config_path)
    files = {config: starter_text("starter.toml"),
             config.parent / "sanctions.toml": starter_text("starter-sanctions.toml")}
    existing = [str(path) for path in files if path.exists()]
    if existing and not force:
        raise click.UsageError(f"{', '.join(existing)} already exist(s); pass --force to overwrite")
    config.parent.mkdir(parents=True, exist_ok=True)
    for path, text in files.items():
        path.write_text(text, encoding="utf-8")
        click.echo(f"wrote {path}", err=True)
