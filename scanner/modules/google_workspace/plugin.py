"""The Google Workspace module as a plugin: `shadowai scan google`."""

from scanner.plugins.hookspecs import hookimpl


@hookimpl
def register_scan_commands(scan):
    from scanner.modules.google_workspace.command import google_command

    scan.add_command(google_command)
