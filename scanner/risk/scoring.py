"""Likelihood and impact, each 1 to 5, scored by additive rules from the evidence; score = likelihood × impact.

Each axis starts at 1; every rule that holds adds its points; the total is capped at 5. The rules that fired
are written into the register's ``scoring`` column, so a reviewer sees why a risk scored what it did. The rule
ids are stable and documented in reports/risk-register.md.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from scanner.inventory.oauth_grants import GrantFigures, figures
from scanner.oauth.tiers import HIGH, MEDIUM

if TYPE_CHECKING:
    from scanner.scope.draft import ServiceLine

BASE = 1
CAP = 5
RECENT_DAYS = 30

# Categories by the data they usually receive. High: whole mailboxes, meetings, documents, personnel, legal,
# medical or customer records, or a browser or agent acting with a user's access. Medium: what a person chooses
# to paste or send (prompts, code, text). Everything else (image, music, video generation, model hubs, local
# inference, GPU rental, companions, education) scores no category points.
HIGH_DATA_CATEGORIES = frozenset({
    "meeting-assistant", "productivity-assistant", "hr-recruiting", "legal-ai", "medical-ai", "data-analytics",
    "customer-support", "ai-browser", "agent-platform",
})
MEDIUM_DATA_CATEGORIES = frozenset({
    "chat-assistant", "llm-api", "coding-assistant", "writing-assistant", "ai-search", "translation",
    "voice-speech", "cloud-ai-platform", "inference-cloud", "vector-database", "llmops-agent-platform",
    "ai-gateway", "sales-marketing", "security-assistant", "app-builder", "presentation-design",
})
TRAINING_RISK = frozenset({"yes", "opt-out", "depends-on-plan", "unknown"})


def line_grants(line: "ServiceLine") -> GrantFigures | None:
    """What the line's own OAuth grant findings say (scopes, admin consent), or None when it has none."""
    return figures(line.rows, per_app=False).get(line.service_id)


@dataclass(frozen=True)
class Facts:
    """What the rules judge besides the line: the day, and the OAuth figures of the line's service or unknown app
    (the same ones the register shows: an unknown app's span all its findings, not only the line's)."""

    today: dt.date
    grants: GrantFigures | None

    @property
    def scope_risk(self) -> str | None:
        return self.grants.scope_risk if self.grants else None

    @property
    def org_wide(self) -> bool:
        return bool(self.grants and self.grants.admin_consent)


def subjects(line: "ServiceLine") -> int:
    return sum(line.count(kind) for kind in ("users", "devices", "accounts", "repos"))


def recent(line: "ServiceLine", facts: Facts) -> bool:
    if not line.last_seen:
        return False
    try:
        seen = dt.date.fromisoformat(line.last_seen[:10])
    except ValueError:
        return False
    return (facts.today - seen).days <= RECENT_DAYS


@dataclass(frozen=True)
class Rule:
    id: str
    axis: str  # likelihood | impact
    points: int
    description: str
    holds: Callable[["ServiceLine", Facts], bool]


RULES: tuple[Rule, ...] = (
    Rule("L1-spread", "likelihood", 1, "used by 2 or more users, devices, accounts or repositories",
         lambda s, _: subjects(s) >= 2),
    Rule("L2-wide-spread", "likelihood", 1, "used by 10 or more users, devices, accounts or repositories",
         lambda s, _: subjects(s) >= 10),
    Rule("L3-no-sanction", "likelihood", 1, "not sanctioned or tolerated (shadow AI, or blocked yet used)",
         lambda s, _: s.status in ("unsanctioned", "blocked")),
    Rule("L4-recent", "likelihood", 1, f"seen in the last {RECENT_DAYS} days", recent),
    Rule("L5-volume", "likelihood", 1, "100 or more recorded hits", lambda s, _: s.hits >= 100),
    Rule("L6-org-wide-grant", "likelihood", 1, "an admin granted its OAuth app for the whole tenant or "
         "organisation, or it is installed org-wide", lambda _, f: f.org_wide),
    Rule("I1-sensitive-category", "impact", 2, "its category usually receives broad or sensitive data "
         "(meetings, mail, documents, people, legal, medical, customer records, agents acting for a user)",
         lambda s, _: s.category in HIGH_DATA_CATEGORIES),
    Rule("I2-data-category", "impact", 1, "its category receives what people paste or send (prompts, code, text)",
         lambda s, _: s.category in MEDIUM_DATA_CATEGORIES),
    Rule("I3-training", "impact", 1, "the vendor may train on inputs (yes, opt-out, depends on plan) or it is "
         "not established", lambda s, _: not s.unknown and s.risk.get("trains_on_customer_data") in TRAINING_RISK),
    Rule("I4-no-certification", "impact", 1, "no security certification known from the catalogue",
         lambda s, _: not s.unknown and s.risk.get("certifications", "unknown") == "unknown"),
    Rule("I5-exposed-key", "impact", 2, "an API key for it was found in code", lambda s, _: s.exposed_keys > 0),
    Rule("I6-model-file", "impact", 2, "a model file of unknown origin (loading some formats runs code)",
         lambda s, _: s.service_id == "unknown-model-file"),
    Rule("I7-broad-scopes", "impact", 2, "its OAuth app holds high-risk data scopes (mail, files, messages, code, "
         "administration)", lambda _, f: f.scope_risk == HIGH),
    Rule("I8-scopes", "impact", 1, "its OAuth app holds medium-risk scopes at most (calendars, contacts, the "
         "directory, lasting access)", lambda _, f: f.scope_risk == MEDIUM),
)


@dataclass(frozen=True)
class Score:
    likelihood: int
    impact: int
    fired: tuple[str, ...]

    @property
    def inherent(self) -> int:
        return self.likelihood * self.impact

    @property
    def rating(self) -> str:
        return "high" if self.inherent >= 15 else "medium" if self.inherent >= 8 else "low"

    def explanation(self) -> str:
        return "; ".join(self.fired) or "no rule fired: base scores"


def score(line: "ServiceLine", today: dt.date, grants: GrantFigures | None = None) -> Score:
    """``grants``: the OAuth figures of the line's service or unknown app (from the line's own rows when not
    given)."""
    facts = Facts(today, grants if grants is not None else line_grants(line))
    totals = {"likelihood": BASE, "impact": BASE}
    fired = []
    for rule in RULES:
        if rule.holds(line, facts):
            totals[rule.axis] += rule.points
            fired.append(f"{rule.id} +{rule.points}")
    return Score(min(CAP, totals["likelihood"]), min(CAP, totals["impact"]), tuple(fired))
