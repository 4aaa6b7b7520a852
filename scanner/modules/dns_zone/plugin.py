"""The DNS zone module as a plugin: its `scan dns-zone` command."""

from scanner.plugins.hookspecs import hookimpl


@hookimpl
def register_scan_commands(scan):
    from scanner.modules.dns_zone.command import dns_zone_command

    scan.add_command(dns_zone_command)
