"""The GCP module as a plugin: `shadowai scan gcp`."""

from scanner.plugins.hookspecs import hookimpl


@hookimpl
def register_scan_commands(scan):
    from scanner.modules.gcp.command import gcp_command

    scan.add_command(gcp_command)
