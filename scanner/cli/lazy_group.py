"""A click group that imports a subcommand only when it is used (click's "lazily loading subcommands" pattern).

Lazy entries (scanner.plugins.lazy_commands.LazyCommand) are listed in the group's help with the short help
stored beside them, so `shadowai --help` and `shadowai scan --help` import none of them; resolving one for a
call or for its own `--help` imports it then. A command that cannot be imported is reported, not fatal: its
plugin's problem is recorded for `shadowai plugins`, calling it is a usage error that says why, and every
other command still works.
"""

from __future__ import annotations

import click

from scanner.plugins.lazy_commands import LazyCommand
from scanner.plugins.manager import plugin_failures

# click >= 8.4 raises this for an unknown name, with "Did you mean" suggestions; older click a plain UsageError
NO_SUCH_COMMAND = getattr(click.exceptions, "NoSuchCommand", ())


class LazyGroup(click.Group):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands: dict[str, tuple[LazyCommand, str | None]] = {}  # name -> (entry, plugin that added it)
        self.unavailable: dict[str, str] = {}  # name -> why it could not be loaded

    def add_lazy_command(self, entry: LazyCommand, plugin: str | None = None) -> None:
        """Name a subcommand without importing it; a later registration of the same name replaces it."""
        self.commands.pop(entry.name, None)
        self.unavailable.pop(entry.name, None)
        self.lazy_commands[entry.name] = (entry, plugin)

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        super().add_command(cmd, name)
        self.lazy_commands.pop(name or cmd.name, None)
        self.unavailable.pop(name or cmd.name, None)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.lazy_commands, *self.unavailable})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy_commands:
            self.load(cmd_name)
        return self.commands.get(cmd_name)

    def load(self, name: str) -> None:
        entry, plugin = self.lazy_commands.pop(name)
        try:
            command = entry.load()
        except Exception as exc:  # noqa: BLE001 — any import failure of one command
            self.unavailable[name] = entry.problem(exc)
            if plugin is not None:
                plugin_failures[plugin] = entry.problem(exc)
            return
        self.commands[name] = command

    def resolve_command(self, ctx: click.Context, args: list[str]):
        name = click.utils.make_str(args[0])
        if self.get_command(ctx, name) is None and name in self.unavailable:
            ctx.fail(f"'{ctx.command_path} {name}' is unavailable: {self.unavailable[name]} "
                     "(see: shadowai plugins)")
        try:
            return super().resolve_command(ctx, args)
        except NO_SUCH_COMMAND as exc:  # click suggests close names from the imported commands only
            raise NO_SUCH_COMMAND(exc.command_name, possibilities=self.list_commands(ctx), ctx=ctx) from None

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list, as click writes it, with the stored short help of commands not yet imported."""
        rows: list[tuple[str, click.Command]] = []
        for name in self.list_commands(ctx):
            if name in self.commands:
                if not self.commands[name].hidden:
                    rows.append((name, self.commands[name]))
            elif name in self.lazy_commands:
                rows.append((name, click.Command(name, help=self.lazy_commands[name][0].short_help)))
            else:
                rows.append((name, click.Command(name, help=f"Unavailable: {self.unavailable[name]}")))
        if rows:
            limit = formatter.width - 6 - max(len(name) for name, _ in rows)
            with formatter.section("Commands"):
                formatter.write_dl([(name, command.get_short_help_str(limit)) for name, command in rows])
