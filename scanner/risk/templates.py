"""Risk statement templates: their wording, Annex A references and treatment come from risk-templates.yaml
(the built-in reports/ folder, or a user's templates folder); when each applies is decided here, from evidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from scanner.reports.templates import template_file

if TYPE_CHECKING:
    from scanner.scope.draft import ServiceLine

TEMPLATE_FILE = "risk-templates.yaml"
TEMPLATE_IDS = ("data-to-third-party", "training-on-inputs", "unsanctioned-use", "residency", "exposed-keys",
                "untrusted-model-files", "unknown-ai", "model-via-platform")
# Templates added after the first release: a copy of the templates made before them gets the built-in wording.
LATER_TEMPLATE_IDS = frozenset({"model-via-platform"})
LOCAL_CATEGORIES = frozenset({"local-inference"})  # runs on the organisation's own machines
TRAINING_NOT_CLEARED = frozenset({"yes", "opt-out", "depends-on-plan", "unknown"})


class TemplateError(Exception):
    """A risk template file that lacks a template or a field."""


@dataclass(frozen=True)
class RiskTemplate:
    id: str
    title: str
    statement: str
    annex_a: tuple[str, ...]
    treatment: str


class Defaulting(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def load_templates(user_dir: Path | None = None) -> dict[str, RiskTemplate]:
    path = template_file(TEMPLATE_FILE, user_dir)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise TemplateError(f"{path}: cannot read the risk templates: {exc}") from None
    templates = {}
    builtin: dict | None = None
    for template_id in TEMPLATE_IDS:
        entry = data.get(template_id)
        if entry is None and template_id in LATER_TEMPLATE_IDS and user_dir is not None:
            if builtin is None:
                builtin = yaml.safe_load(template_file(TEMPLATE_FILE, None).read_text(encoding="utf-8")) or {}
            entry = builtin.get(template_id)
        if not isinstance(entry, dict) or not all(entry.get(k) for k in ("title", "statement", "annex_a", "treatment")):
            raise TemplateError(f"{path}: template '{template_id}' needs title, statement, annex_a and treatment")
        templates[template_id] = RiskTemplate(template_id, str(entry["title"]),
                                              " ".join(str(entry["statement"]).split()),
                                              tuple(str(a) for a in entry["annex_a"]),
                                              " ".join(str(entry["treatment"]).split()))
    return templates


def applicable(line: "ServiceLine") -> list[str]:
    """The templates that apply to a service (or an unknown finding), in a fixed order."""
    if line.service_id == "unknown-model-file":
        return ["untrusted-model-files"]
    if line.unknown:
        return ["unknown-ai"]
    if line.via_platforms:  # a model vendor whose models run on a cloud platform: the platform's line has the rest
        return ["model-via-platform"]
    external = line.category not in LOCAL_CATEGORIES
    ids = []
    if external:
        ids.append("data-to-third-party")
        if line.risk.get("trains_on_customer_data") in TRAINING_NOT_CLEARED:
            ids.append("training-on-inputs")
    if line.status in ("unsanctioned", "blocked"):
        ids.append("unsanctioned-use")
    if external:
        ids.append("residency")
    if line.exposed_keys:
        ids.append("exposed-keys")
    return ids


def placeholders(line: "ServiceLine") -> dict[str, Any]:
    from scanner.scope.questions import who

    first = line.rows[0] if line.rows else {}
    countries = line.risk.get("hosting_country", "unknown")
    return Defaulting(
        service=line.name, vendor=line.vendor or "an unknown vendor", category=line.category_name,
        status="blocked yet in use" if line.status == "blocked" else line.status, who=who(line),
        trains=line.risk.get("trains_on_customer_data", "unknown"), retention=line.risk.get("retention", "unknown"),
        countries=countries if countries != "unknown" else "countries not established",
        certifications=line.risk.get("certifications", "unknown"), keys=line.exposed_keys,
        location=first.get("location", ""), subject=first.get("subject", ""), source=first.get("source", ""),
        via=", ".join(line.via_platforms) or "a cloud platform",
    )


def fill(text: str, line: "ServiceLine") -> str:
    return text.format_map(placeholders(line))
