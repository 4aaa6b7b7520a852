"""Endpoints that hide names from a packet capture: public DNS-over-HTTPS/TLS resolvers and ECH fronts.

A client that resolves names through an encrypted resolver sends no DNS a capture can read, and a TLS
connection with Encrypted Client Hello shows only the front's name: both are coverage gaps, not silence. The
addresses are the resolvers' published anycast addresses (each operator's own documentation); the names are
their DoH/DoT host names. ECH fronts are the public names that client-facing servers put in the outer SNI.
"""

from __future__ import annotations

import ipaddress

DOH_RESOLVERS: dict[str, tuple[str, ...]] = {
    "Cloudflare (cloudflare-dns.com)": ("1.1.1.1", "1.0.0.1", "1.1.1.2", "1.0.0.2", "1.1.1.3", "1.0.0.3",
                                        "2606:4700:4700::1111", "2606:4700:4700::1001",
                                        "2606:4700:4700::1112", "2606:4700:4700::1002",
                                        "2606:4700:4700::1113", "2606:4700:4700::1003"),
    "Google (dns.google)": ("8.8.8.8", "8.8.4.4", "2001:4860:4860::8888", "2001:4860:4860::8844"),
    "Quad9 (dns.quad9.net)": ("9.9.9.9", "149.112.112.112", "9.9.9.10", "149.112.112.10", "9.9.9.11",
                              "149.112.112.11", "2620:fe::fe", "2620:fe::9", "2620:fe::10", "2620:fe::fe:10",
                              "2620:fe::11", "2620:fe::fe:11"),
    "OpenDNS (doh.opendns.com)": ("208.67.222.222", "208.67.220.220", "208.67.222.123", "208.67.220.123",
                                  "2620:119:35::35", "2620:119:53::53"),
    "AdGuard (dns.adguard-dns.com)": ("94.140.14.14", "94.140.15.15", "94.140.14.15", "94.140.15.16",
                                      "2a10:50c0::ad1:ff", "2a10:50c0::ad2:ff"),
    "CleanBrowsing (doh.cleanbrowsing.org)": ("185.228.168.9", "185.228.169.9", "185.228.168.10",
                                              "185.228.169.11", "185.228.168.168", "185.228.169.168"),
    "NextDNS (dns.nextdns.io)": ("45.90.28.0", "45.90.30.0"),
    "Mullvad (dns.mullvad.net)": ("194.242.2.2", "194.242.2.3", "194.242.2.4", "194.242.2.9"),
}

DOH_NAMES: dict[str, str] = {
    "cloudflare-dns.com": "Cloudflare (cloudflare-dns.com)",
    "one.one.one.one": "Cloudflare (cloudflare-dns.com)",
    "dns.google": "Google (dns.google)",
    "dns.google.com": "Google (dns.google)",
    "dns.quad9.net": "Quad9 (dns.quad9.net)",
    "doh.opendns.com": "OpenDNS (doh.opendns.com)",
    "dns.umbrella.com": "OpenDNS (doh.opendns.com)",
    "dns.adguard-dns.com": "AdGuard (dns.adguard-dns.com)",
    "dns.adguard.com": "AdGuard (dns.adguard-dns.com)",
    "doh.cleanbrowsing.org": "CleanBrowsing (doh.cleanbrowsing.org)",
    "dns.nextdns.io": "NextDNS (dns.nextdns.io)",
    "dns.mullvad.net": "Mullvad (dns.mullvad.net)",
    "doh.mullvad.net": "Mullvad (dns.mullvad.net)",
}

# Ports of encrypted DNS: DoH (HTTPS, also over QUIC), DoT and DoQ.
ENCRYPTED_DNS_PORTS = frozenset({443, 853})

ECH_FRONTS = frozenset({"cloudflare-ech.com"})

RESOLVER_BY_ADDRESS: dict[bytes, str] = {
    ipaddress.ip_address(address).packed: label
    for label, addresses in DOH_RESOLVERS.items() for address in addresses
}


def doh_resolver(server: bytes, port: int, host: str | None) -> str | None:
    """The resolver a connection goes to, when it is an encrypted-DNS one."""
    if host:
        for suffix, label in DOH_NAMES.items():
            if host == suffix or host.endswith("." + suffix):
                return label
    if port in ENCRYPTED_DNS_PORTS:
        return RESOLVER_BY_ADDRESS.get(server)
    return None
