"""Host name normalisation shared by the catalogue and the matcher.

A host seen in evidence may carry a port, a trailing dot, upper case, brackets (IPv6) or Unicode labels.
Everything is reduced to lower-case ASCII (IDNA 2008, UTS #46 mapping) so that suffix rules compare
label by label.
"""

from __future__ import annotations

import ipaddress

import idna


def normalise_host(raw: str) -> str | None:
    """Return the canonical form of a host name, or None when it is not a usable DNS name.

    >>> normalise_host("API.OpenAI.com.")
    'api.openai.com'
    >>> normalise_host("chatgpt.com:443")
    'chatgpt.com'
    """
    host = raw.strip()
    if not host:
        return None
    if host.startswith("["):  # [v6]:port
        return None
    if host.count(":") == 1:
        host, _, port = host.partition(":")
        if port and not port.isdigit():
            return None
    elif ":" in host:  # a bare IPv6 address
        return None
    host = host.rstrip(".").lower()
    if not host or is_ip_address(host):
        return None
    if host.isascii():
        if any(not label or len(label) > 63 for label in host.split(".")):
            return None
        return host
    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except idna.IDNAError:
        return None


def is_ip_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def suffixes(host: str):
    """Yield the host and each parent on a label boundary, longest first: a.b.c, b.c, c."""
    yield host
    start = host.find(".")
    while start != -1:
        yield host[start + 1 :]
        start = host.find(".", start + 1)
