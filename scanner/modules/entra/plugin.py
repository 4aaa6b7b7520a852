"""The Entra ID module as a plugin: `shadowai scan entra`."""

from scanner.plugins.hookspecs import hookimpl


@hookimpl
def register_scan_commands(scan):
    from scanner.modules.entra.command import entra_command

    scan.add_command(entra_command)
