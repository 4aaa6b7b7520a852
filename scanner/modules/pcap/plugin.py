"""The pcap module as a plugin: `shadowai scan pcap` and `shadowai scan capture`."""

from scanner.plugins.hookspecs import hookimpl
from scanner.plugins.lazy_commands import LazyCommand


@hookimpl
def register_lazy_scan_commands():
    # Imported only when run: the short help is the first sentence of the command's help (a test checks).
    return [
        LazyCommand("pcap", "scanner.modules.pcap.command:pcap_command",
                    "Read packet captures (pcap or pcapng, also compressed; files, directories, globs) and add every "
                    "AI service seen to the inventory: DNS questions (UDP and TCP), TLS and QUIC server names, HTTP "
                    "Host headers, and connections attributed from DNS answers in the capture."),
        LazyCommand("capture", "scanner.modules.pcap.command:capture_command",
                    "Capture live from a network interface (needs root or CAP_NET_RAW) and add every AI service seen "
                    "to the inventory, as `scan pcap` does for files."),
    ]
