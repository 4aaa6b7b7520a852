"""Host names as logs write them (a DNS question with its root dot, a URL, a CONNECT ``host:port``), reduced
to the bare lower-case name a HostSeen carries. The matcher normalises again (IDNA, IP literals); this only
removes what would make the evidence harder to read."""

from __future__ import annotations

from scanner.matching.matcher import split_url

UNSET = frozenset({"", "-", "(empty)", "none", "n/a", "na"})  # how the formats here write "no value"


def dns_name(value: str | None) -> str | None:
    """'ChatGPT.com.' -> 'chatgpt.com'; None for an empty or unset field."""
    if value is None:
        return None
    name = value.strip().rstrip(".").lower()
    return None if name in UNSET else name


def authority_host(authority: str) -> str | None:
    """'user@Example.com:443' -> 'example.com'; '[2001:db8::1]:443' -> '2001:db8::1'."""
    authority = authority.strip().rsplit("@", 1)[-1]
    if authority.startswith("["):
        return authority[1:].split("]", 1)[0].lower() or None
    if authority.count(":") == 1:
        authority = authority.split(":", 1)[0]
    return dns_name(authority)


def url_host_and_path(url: str) -> tuple[str | None, str]:
    """('host', '/path?query') from an absolute URL, a scheme-less 'host/path' or a CONNECT 'host:port'."""
    authority, path = split_url(url)
    return authority_host(authority), path
