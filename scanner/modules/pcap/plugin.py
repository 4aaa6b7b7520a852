"""The pcap module as a plugin: `shadowai scan pcap` and `shadowai scan capture`."""

from scanner.plugins.hookspecs import hookimpl


@hookimpl
def register_scan_commands(scan):
    from scanner.modules.pcap.command import capture_command, pcap_command

    scan.add_command(pcap_command)
    scan.add_command(capture_command)
