"""`shadowai scan dns-zone --domain DOMAIN... [--nameserver IP] [--port N] [--axfr] [--names FILE]`"""

from __future__ import annotations

import ipaddress
from pathlib import Path

import click

from scanner.cli.options import catalogue_from, echo_error, scan_options
from scanner.cli.scan_runner import run_scan
from scanner.clients.dns import DEFAULT_TIMEOUT


def check_domains(_ctx, _param, values):
    from scanner.modules.dns_zone.zone_names import dns_name

    domains: list[str] = []
    for value in values:
        for text in value.split(","):
            domain = dns_name(text)
            if domain is None:
                raise click.BadParameter(f"{text.strip()!r} is not a domain name")
            if domain not in domains:
                domains.append(domain)
    return domains


def check_nameservers(_ctx, _param, values):
    servers = []
    for value in values:
        for text in value.split(","):
            try:
                servers.append(str(ipaddress.ip_address(text.strip())))
            except ValueError:
                raise click.BadParameter(f"{text.strip()!r} is not an IP address") from None
    return servers


@click.command(name="dns-zone")
@click.option("--domain", multiple=True, required=True, callback=check_domains, metavar="DOMAIN",
              help="Domain whose records are read (repeatable, or comma-separated).")
@click.option("--nameserver", multiple=True, callback=check_nameservers, metavar="IP",
              help="Name server to ask, an IP address (repeatable) [default: the system resolvers]. Give the "
                   "zone's primary to transfer it with --axfr.")
@click.option("--port", type=click.IntRange(1, 65535), default=53, show_default=True,
              help="Port of the name servers.")
@click.option("--axfr", is_flag=True,
              help="Transfer each zone (AXFR) for its names: from --nameserver, else from the zone's NS servers. "
                   "A refusal is a coverage gap; the names file or the inventory's host names are used instead.")
@click.option("--names", type=click.Path(dir_okay=False, exists=True, path_type=Path), metavar="FILE",
              help="File with one name of the zones per line (chat.example.com) whose CNAMEs are followed, when "
                   "no zone transfer gives them. Default: the host names under each domain already in the inventory.")
@click.option("--timeout", type=click.FloatRange(0.1, 60), default=DEFAULT_TIMEOUT, show_default=True,
              metavar="SECONDS", help="How long to wait for each answer; a question is asked twice before it is "
                                      "a coverage gap.")
@scan_options
def dns_zone_command(domain, nameserver, port, axfr, names, timeout, db_path, signature_dirs, wait, fail_on_new,
                     quiet):
    """Read an organisation's own DNS zones for the AI services they reveal: domain-verification TXT records at
    each apex and at the verification names the catalogue lists (ChatGPT Enterprise, Claude, Cursor, Mistral…),
    CNAMEs of the zone's names that point at AI vendors (chat.example.com -> contoso.openai.azure.com), and MX
    and SPF includes of AI vendors. The names come from a zone transfer (--axfr) where the server allows one,
    else from --names, else from the host names under the domain already in the inventory. Targets that no
    service claims but look like AI become 'unknown-dns-ai-record' findings. Refused transfers, timeouts,
    SERVFAIL and REFUSED answers are coverage gaps; truncated answers are asked again over TCP. Findings are a
    snapshot: scanning again replaces the counts.

    Example: shadowai scan dns-zone --domain example.com --nameserver 192.0.2.53 --axfr --db inventory.db
    """
    from scanner.clients.dns import DnsClient, DnsError, system_nameservers
    from scanner.modules.dns_zone.scan import scan_dns_zones

    servers = list(nameserver)
    if not servers:
        try:
            servers = system_nameservers()
        except DnsError as exc:
            raise click.UsageError(f"{exc}; name one with --nameserver") from exc
    client = DnsClient(servers, port=port, timeout=timeout)
    catalogue = catalogue_from(signature_dirs)
    run_scan(db_path, wait, catalogue, fail_on_new=fail_on_new,
             scan=lambda db, stop: scan_dns_zones(db, catalogue, client, list(domain), axfr=axfr, names_file=names,
                                                  axfr_servers=list(nameserver) or None, stop=stop,
                                                  on_error=echo_error),
             summary=summary)


def summary(result) -> str:
    counts = result.counts
    return (f"{counts.get('domains', 0)} domains, {counts.get('txt_records', 0)} TXT records, "
            f"{counts.get('names', 0)} names followed ({counts.get('cname_chains', 0)} CNAME chains), "
            f"{counts.get('findings', 0)} AI findings, {result.gaps} coverage gaps")
