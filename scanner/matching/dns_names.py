"""What DNS records say beyond the catalogue: whose verification name a TXT record sits at, and whether a record
that no service claims still looks like AI (for review, under ``unknown-dns-ai-record``).

A verification TXT record names its vendor in its key (``acmegpt-domain-verification=…``) or in the underscore
label it sits at (``_acme-ai-challenge``); the AI words are the ones OAuth app names are judged by.
"""

from __future__ import annotations

from scanner.matching.ai_names import ai_like_host, ai_word

VERIFICATION_WORDS = ("verification", "verify", "challenge", "validation")


def owner_label(name: str) -> str | None:
    """The underscore labels in front of a name: '_acme-challenge._domainkey' for
    '_acme-challenge._domainkey.example.com'; None when the name does not start with one (an apex, a host)."""
    labels = []
    for label in name.lower().rstrip(".").split("."):
        if not label.startswith("_"):
            break
        labels.append(label)
    return ".".join(labels) or None


def in_zone(host: str, zone: str) -> bool:
    host, zone = host.lower().rstrip("."), zone.lower().rstrip(".")
    return host == zone or host.endswith("." + zone)


def ai_like_verification(name: str, value: str) -> str | None:
    """The AI word of a domain-verification TXT record no service claims: in its key (the text before '=' or
    ':') when the key says it verifies something, or in the underscore label it sits at."""
    key = value.strip().strip('"').lower().replace(":", "=").split("=", 1)[0][:80]
    if any(word in key for word in VERIFICATION_WORDS):
        found = ai_word(key)
        if found:
            return found
    label = owner_label(name)
    return ai_word(label) if label else None


def ai_like_target(target: str, zone: str | None) -> str | None:
    """Why a CNAME, MX or SPF target outside the zone looks like AI ('.ai', 'gpt'), or None."""
    if zone is None or in_zone(target, zone):
        return None
    return ai_like_host(target)
