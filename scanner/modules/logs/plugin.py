"""The logs module as a plugin: its command and its built-in formats."""

from scanner.modules.logs.formats.host_list import HostList
from scanner.modules.logs.formats.squid_native import SquidNative
from scanner.plugins.hookspecs import hookimpl


@hookimpl
def register_log_formats():
    # Order matters: more specific formats first; the host list accepts almost anything one-token.
    return [SquidNative, HostList]


@hookimpl
def register_scan_commands(scan):
    from scanner.modules.logs.command import logs_command

    scan.add_command(logs_command)
