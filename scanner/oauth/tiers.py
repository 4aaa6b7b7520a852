"""A risk tier per OAuth scope: ``high`` (the content of people's or the organisation's data: mail, files, messages,
source code, or administration), ``medium`` (calendars, contacts, people and directory reads, lasting access) and
``low`` (sign-in and basic profile). Each platform has its own table (``microsoft``, ``google``, ``slack``,
``github``); this module holds what they share: the tier order, the table type and the risky-scopes summary that
every OAuth finding records as ``risky_scopes`` and ``scope_risk``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable, Iterable

LOW, MEDIUM, HIGH = "low", "medium", "high"
ORDER = {LOW: 0, MEDIUM: 1, HIGH: 2}


def compiled(patterns: Iterable[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns))


@dataclass(frozen=True)
class TierTable:
    """Scopes as regular expressions (matched whole, case-insensitively, after ``normalise``); anything that
    matches neither list is low."""

    platform: str
    high: tuple[str, ...]
    medium: tuple[str, ...]
    normalise: Callable[[str], str] = field(default=lambda scope: scope.strip().lower())

    @cached_property
    def high_pattern(self) -> re.Pattern[str]:
        return compiled(self.high)

    @cached_property
    def medium_pattern(self) -> re.Pattern[str]:
        return compiled(self.medium)

    def tier(self, scope: str) -> str:
        name = self.normalise(scope)
        if self.high_pattern.fullmatch(name):
            return HIGH
        if self.medium_pattern.fullmatch(name):
            return MEDIUM
        return LOW

    def risky(self, scopes: Iterable[str]) -> tuple[tuple[str, ...], str]:
        """The medium- and high-risk scopes (high first, then by name) and the highest tier of all."""
        return ranked({scope: self.tier(scope) for scope in scopes if scope})


def ranked(tiers: dict[str, str]) -> tuple[tuple[str, ...], str]:
    flagged = sorted((scope for scope, tier in tiers.items() if tier != LOW),
                     key=lambda scope: (-ORDER[tiers[scope]], scope.lower()))
    top = max(tiers.values(), key=ORDER.__getitem__, default=LOW)
    return tuple(flagged), top
