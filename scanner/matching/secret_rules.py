"""API-key detection: a cheap keyword pre-filter, then the rule's regex; only a fingerprint leaves here.

A fingerprint is ``<rule id>:<first 4 characters>…:<first 12 hex of SHA-256>``: enough to recognise the
same key in two places and to tell an owner which key to rotate, never enough to use it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Iterable, Iterator


@dataclass(frozen=True)
class SecretRule:
    service_id: str
    rule_id: str
    keywords: tuple[str, ...]
    regex: re.Pattern[str]
    prefix: str = ""  # the literal every match starts with, after zero-width assertions ("" when unknown)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """The regex's matches, as ``regex.finditer(text)`` returns them. With a literal prefix the regex is only
        tried where the prefix occurs: ``re`` cannot skip ahead by itself when a pattern opens with ``\\b``, and
        tries every position of the text instead."""
        if not self.prefix:
            yield from self.regex.finditer(text)
            return
        position = text.find(self.prefix)
        while position != -1:
            found = self.regex.match(text, position)  # zero-width assertions still see the text before it
            if found is not None:
                yield found
                position = text.find(self.prefix, max(found.end(), position + 1))
            else:
                position = text.find(self.prefix, position + 1)


ZERO_WIDTH = {"AT", "ASSERT", "ASSERT_NOT"}


def literal_prefix(regex: re.Pattern[str]) -> str:
    """The literal text every match of the pattern starts with (after zero-width assertions such as ``\\b`` or a
    look-behind, inside the opening group), or "" when there is none or the pattern ignores case."""
    try:
        from re import _parser  # the parser of the standard library's own regex engine

        parsed = _parser.parse(regex.pattern, regex.flags)
    except Exception:  # noqa: BLE001 — a private module: without it, the regex simply runs everywhere
        return ""
    if parsed.state.flags & re.IGNORECASE:
        return ""
    items = list(parsed)
    prefix = []
    while items:
        op, value = items[0]
        name = str(op)
        if name in ZERO_WIDTH and not prefix:
            items = items[1:]
        elif name == "SUBPATTERN" and not prefix and not (value[1] & re.IGNORECASE):
            items = list(value[3])
        elif name == "LITERAL":
            prefix.append(chr(value))
            items = items[1:]
        else:
            break
    return "".join(prefix) if len(prefix) >= 2 else ""


@dataclass(frozen=True)
class SecretHit:
    service_id: str
    rule_id: str
    fingerprint: str
    offset: int


def fingerprint(rule_id: str, secret: str) -> str:
    digest = hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return f"{rule_id}:{secret[:4]}…:{digest}"


class SecretScanner:
    def __init__(self) -> None:
        self.rules: list[SecretRule] = []

    def add(self, service_id: str, rule_id: str, keywords: list[str], regex: str) -> None:
        compiled = re.compile(regex)
        self.rules.append(
            SecretRule(service_id, rule_id, tuple(k.lower() for k in keywords), compiled, literal_prefix(compiled))
        )

    def scan(self, text: str, only: Iterable[int] | None = None) -> list[SecretHit]:
        """Keys in the text. ``only``: indexes of the rules whose keywords a caller already found in the text
        (an Aho-Corasick pass over the lower-cased text), so that the keyword check is not repeated."""
        lowered = text.lower() if only is None else ""
        hits: list[SecretHit] = []
        seen: set[tuple[int, int]] = set()
        for rule in self.rules if only is None else [self.rules[index] for index in only]:
            if only is None and not any(keyword in lowered for keyword in rule.keywords):
                continue
            for found in rule.finditer(text):
                group = 1 if rule.regex.groups else 0
                start, end = found.span(group)
                if (start, end) in seen or start < 0:
                    continue
                seen.add((start, end))
                hits.append(SecretHit(rule.service_id, rule.rule_id, fingerprint(rule.rule_id, text[start:end]), start))
        return hits
