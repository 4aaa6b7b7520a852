"""A command named before it is imported: its name, where it lives and its one-line help.

Start-up registers every `shadowai scan <source>` this way, so that `shadowai scan repo` does not import the
cloud SDKs (boto3, msal…), scapy or openpyxl that other commands need; only the command that runs, or the
one whose `--help` is asked for, is imported (scanner.cli.lazy_group).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

import click


@dataclass(frozen=True)
class LazyCommand:
    name: str  # the subcommand's name: `shadowai scan <name>`
    import_path: str  # "package.module:attribute", the attribute being the click command
    short_help: str  # shown in the group's command list without importing; the first sentence of its help

    def __post_init__(self) -> None:
        module, colon, attribute = self.import_path.partition(":")
        if not (self.name and module and colon and attribute.isidentifier()):
            raise ValueError(f"lazy command {self.name!r}: import path {self.import_path!r} is not "
                             "'package.module:attribute'")

    def load(self) -> click.Command:
        """Import the command; whatever goes wrong (a missing dependency, a typo) raises."""
        module, _, attribute = self.import_path.partition(":")
        command = getattr(importlib.import_module(module), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{self.import_path} is a {type(command).__name__}, not a click command")
        return command

    def problem(self, exc: BaseException) -> str:
        """Why the command could not be loaded, as `shadowai plugins` and the error of a call show it."""
        return f"cannot load '{self.name}' from {self.import_path}: {type(exc).__name__}: {exc}"
