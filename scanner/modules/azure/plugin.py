"""The Azure module as a plugin: `shadowai scan azure`."""

from scanner.plugins.hookspecs import hookimpl


@hookimpl
def register_scan_commands(scan):
    from scanner.modules.azure.command import azure_command

    scan.add_command(azure_command)
