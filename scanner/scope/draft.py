"""The scope draft: what a scoping workshop needs on one page.

Headline figures; the AI services in use inside the scope (sanctioned or shadow) with who used them, from
where, when, and the catalogue's risk facts; activity seen from outside the scope's boundaries; what could not
be scanned and why; and the questions the workshop must settle.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import sqlite_utils

from scanner import __version__
from scanner.catalogue.loader import Catalogue
from scanner.catalogue.model import RISK_FACTS
from scanner.config.model import WHOLE_ORGANISATION, Config, Scope
from scanner.config.sanctions import CATEGORY_PREFIX, sanction_details
from scanner.inventory.runs import utc_now
from scanner.inventory.service_evidence import MODEL_EVIDENCE, ServiceEvidence, evidence_of, fold
from scanner.inventory.views import UNSANCTIONED, describe
from scanner.scope.boundaries import Boundaries
from scanner.scope.footprint import footprint
from scanner.scope.questions import Question, workshop_questions

SHOWN_SUBJECTS = 25


def fact_text(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value) or "unknown"
    return str(value) if value not in (None, "") else "unknown"


@dataclass
class ServiceLine:
    service_id: str
    name: str
    vendor: str
    category: str
    category_name: str
    status: str
    owner: str
    approved_use: str
    review_date: str
    subjects: dict[str, list[str]]
    sources: list[str]
    locations: int
    first_seen: str | None
    last_seen: str | None
    hits: int
    findings: int
    risk: dict[str, str]
    exposed_keys: int
    rows: list[dict[str, Any]] = field(default_factory=list, repr=False)

    @property
    def unknown(self) -> bool:
        return self.service_id.startswith("unknown-")

    @cached_property
    def via_platforms(self) -> list[str]:
        """The cloud platforms through which this model vendor's models are used, when that is all the evidence
        of it (every finding made from a model id: scanner.modules.cloud_models); empty when it is used directly."""
        if not self.rows or not all(str(row.get("matched_by") or "").startswith(MODEL_EVIDENCE) for row in self.rows):
            return []
        return sorted({str(evidence_of(row).get("via") or "") for row in self.rows} - {""})

    @property
    def shadow(self) -> bool:
        return self.status == UNSANCTIONED

    def count(self, kind: str) -> int:
        return len(self.subjects.get(kind, []))

    def shown(self, kind: str) -> tuple[list[str], int]:
        names = self.subjects.get(kind, [])
        return names[:SHOWN_SUBJECTS], max(0, len(names) - SHOWN_SUBJECTS)


@dataclass
class Gap:
    source: str
    run_id: int | None
    what: str
    why: str


@dataclass
class ScopeDraft:
    scope: Scope
    generated_at: str
    catalogue_version: str
    tool_version: str
    discover_run: dict[str, Any] | None
    runs: list[dict[str, Any]]
    services: list[ServiceLine]
    outside: list[ServiceLine]
    gaps: list[Gap]
    questions: list[Question] = field(default_factory=list)

    @property
    def headline(self) -> dict[str, int]:
        inside = self.services
        subjects = {kind: set() for kind in ("users", "devices", "accounts", "repos")}
        for line in inside:
            for kind in subjects:
                subjects[kind].update(line.subjects.get(kind, []))
        outside_subjects = {name for line in self.outside for kind, names in line.subjects.items() for name in names}
        return {
            "services": sum(1 for s in inside if not s.unknown),
            "shadow": sum(1 for s in inside if s.shadow and not s.unknown),
            "sanctioned": sum(1 for s in inside if s.status == "sanctioned"),
            "tolerated": sum(1 for s in inside if s.status == "tolerated"),
            "blocked_in_use": sum(1 for s in inside if s.status == "blocked"),
            "unknown_findings": sum(s.findings for s in inside if s.unknown),
            **{kind: len(names) for kind, names in subjects.items()},
            "findings": sum(s.findings for s in inside),
            "hits": sum(s.hits for s in inside),
            "sources_run": len(self.runs),
            "coverage_gaps": len(self.gaps),
            "outside_services": len(self.outside),
            "outside_subjects": len(outside_subjects),
        }


def latest_discover_run(db: sqlite_utils.Database, scope_name: str) -> dict[str, Any] | None:
    rows = list(db.query("select * from runs where module = 'discover' and scope = ? and status != 'running' "
                         "order by id desc limit 1", [scope_name]))
    return rows[0] if rows else None


def child_runs(db: sqlite_utils.Database, discover_run: dict[str, Any] | None) -> list[dict[str, Any]]:
    if discover_run is None:
        return []
    ids = [run_id for item in json.loads(discover_run["inputs"] or "[]") for run_id in item.get("runs", [])]
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    return list(db.query(f"select * from runs where id in ({marks}) order by id", ids))


def gaps_of(discover_run: dict[str, Any] | None, runs: list[dict[str, Any]]) -> list[Gap]:
    gaps = []
    for run in ([discover_run] if discover_run else []) + runs:
        for gap in json.loads(run["coverage_gaps"] or "[]"):
            what = gap.get("what", "")
            configured = run["module"] == "discover" and what.startswith("sources.")
            source = what.split(".", 1)[1] if configured else run["module"]
            gaps.append(Gap(source, run["id"], what, gap.get("why", "")))
    return gaps


class ServiceDescriber:
    def __init__(self, db: sqlite_utils.Database, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.sanctions = sanction_details(db)

    def sanction(self, service_id: str, category: str) -> dict[str, Any]:
        return self.sanctions.get(service_id) or self.sanctions.get(CATEGORY_PREFIX + category) or {}

    def line(self, evidence: ServiceEvidence) -> ServiceLine:
        info = describe(self.catalogue, evidence.service_id)
        service = self.catalogue.service(evidence.service_id)
        sanction = self.sanction(evidence.service_id, info["category"])
        return ServiceLine(
            service_id=evidence.service_id, name=info["service_name"], vendor=info["vendor"],
            category=info["category"], category_name=self.catalogue.category_name(info["category"]),
            status=sanction.get("status") or UNSANCTIONED, owner=sanction.get("owner") or "",
            approved_use=sanction.get("approved_use") or "", review_date=sanction.get("review_date") or "",
            subjects={kind: sorted(names) for kind, names in evidence.subjects.items()},
            sources=sorted(evidence.sources), locations=len(evidence.locations), first_seen=evidence.first_seen,
            last_seen=evidence.last_seen, hits=evidence.hits, findings=len(evidence.findings),
            risk={fact: fact_text(service.risk_value(fact)) if service else "unknown" for fact in RISK_FACTS},
            exposed_keys=evidence.exposed_keys, rows=evidence.rows,
        )


def ordered(lines: list[ServiceLine]) -> list[ServiceLine]:
    return sorted(lines, key=lambda s: (s.unknown, -(sum(len(v) for v in s.subjects.values())), -s.hits, s.service_id))


def build_draft(db: sqlite_utils.Database, catalogue: Catalogue, config: Config, scope: Scope, *,
                discover_run: dict[str, Any] | None = None, today: dt.date | None = None) -> ScopeDraft:
    discover_run = discover_run or latest_discover_run(db, scope.name)
    runs = child_runs(db, discover_run)
    whole = scope.name == WHOLE_ORGANISATION
    belongs = (lambda row: True) if whole else footprint(config.sources_for(scope))
    boundaries = Boundaries(scope, config.people)
    inside_rows, outside_rows = [], []
    for row in db.query("select * from findings order by service_id, source, subject, location"):
        if belongs(row):
            (inside_rows if boundaries.inside(row) else outside_rows).append(row)
    describer = ServiceDescriber(db, catalogue)
    draft = ScopeDraft(
        scope=scope, generated_at=utc_now(), catalogue_version=catalogue.version, tool_version=__version__,
        discover_run=discover_run, runs=runs,
        services=ordered([describer.line(e) for e in fold(inside_rows).values()]),
        outside=ordered([describer.line(e) for e in fold(outside_rows).values()]),
        gaps=gaps_of(discover_run, runs),
    )
    draft.questions = workshop_questions(draft, describer.sanctions, today or dt.date.today())
    return draft
