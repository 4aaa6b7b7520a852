"""The logs module as a plugin: its command and its built-in formats."""

from scanner.plugins.hookspecs import hookimpl
from scanner.plugins.lazy_commands import LazyCommand


@hookimpl
def register_log_formats():
    # Imported here, not at the top: every command loads this plugin, only `scan logs` reads logs.
    from scanner.modules.logs.formats.azure_firewall import AzureFirewall
    from scanner.modules.logs.formats.bind_query import BindQuery
    from scanner.modules.logs.formats.cisco_umbrella import UmbrellaDns, UmbrellaProxy
    from scanner.modules.logs.formats.dnsmasq import Dnsmasq
    from scanner.modules.logs.formats.gcp_cloud_dns import GcpCloudDns
    from scanner.modules.logs.formats.host_list import HostList
    from scanner.modules.logs.formats.iis_default import IisDefault
    from scanner.modules.logs.formats.panos import PanOs
    from scanner.modules.logs.formats.route53_resolver import Route53Resolver
    from scanner.modules.logs.formats.squid_common import SquidCommon
    from scanner.modules.logs.formats.squid_custom import SquidCustom
    from scanner.modules.logs.formats.squid_native import SquidNative
    from scanner.modules.logs.formats.suricata_eve import SuricataEve
    from scanner.modules.logs.formats.w3c_extended import W3cExtended
    from scanner.modules.logs.formats.windows_dns_debug import WindowsDnsDebug
    from scanner.modules.logs.formats.zeek_json import ZeekDnsJson, ZeekHttpJson, ZeekSslJson
    from scanner.modules.logs.formats.zeek_tsv import ZeekDnsTsv, ZeekHttpTsv, ZeekSslTsv
    from scanner.modules.logs.formats.zscaler_nss import ZscalerNssCsv, ZscalerNssJson

    # Order matters: the first format whose sniff accepts a file's first lines reads it. Formats announced by a
    # header come first, then JSON records told apart by their keys, CSV layouts, syslog programs and line
    # shapes; the host list accepts almost anything one-token and comes last.
    return [
        ZeekDnsTsv, ZeekHttpTsv, ZeekSslTsv, W3cExtended, WindowsDnsDebug,
        SuricataEve, ZeekDnsJson, ZeekHttpJson, ZeekSslJson, Route53Resolver, GcpCloudDns, AzureFirewall,
        ZscalerNssJson,
        UmbrellaDns, UmbrellaProxy, ZscalerNssCsv, PanOs,
        BindQuery, Dnsmasq,
        SquidNative, SquidCustom, SquidCommon, IisDefault,
        HostList,
    ]


@hookimpl
def register_lazy_scan_commands():
    # Imported only when run: the short help is the first sentence of the command's help (a test checks).
    return [
        LazyCommand("logs", "scanner.modules.logs.command:logs_command",
                    "Read DNS and proxy logs (files, directories, globs, '-' for stdin, s3:// prefixes and globs), "
                    "detect each file's format, and add every AI service seen to the inventory."),
    ]
