"""API-key detection: a cheap keyword pre-filter, then the rule's regex; only a fingerprint leaves here.

A fingerprint is ``<rule id>:<first 4 characters>…:<first 12 hex of SHA-256>``: enough to recognise the
same key in two places and to tell an owner which key to rotate, never enough to use it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class SecretRule:
    service_id: str
    rule_id: str
    keywords: tuple[str, ...]
    regex: re.Pattern[str]


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
        self.rules.append(
            SecretRule(service_id, rule_id, tuple(k.lower() for k in keywords), re.compile(regex))
        )

    def scan(self, text: str) -> list[SecretHit]:
        lowered = text.lower()
        hits: list[SecretHit] = []
        seen: set[tuple[int, int]] = set()
        for rule in self.rules:
            if not any(keyword in lowered for keyword in rule.keywords):
                continue
            for found in rule.regex.finditer(text):
                group = 1 if rule.regex.groups else 0
                start, end = found.span(group)
                if (start, end) in seen or start < 0:
                    continue
                seen.add((start, end))
                hits.append(SecretHit(rule.service_id, rule.rule_id, fingerprint(rule.rule_id, text[start:end]), start))
        return hits
