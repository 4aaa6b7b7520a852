"""The HTML inventory report: headline figures, charts (services by users, new services per run over time,
findings by source), the services with their risk, coverage gaps of recent runs and the run-chain check.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path
from typing import Any

import sqlite_utils

from scanner import __version__
from scanner.catalogue.loader import Catalogue
from scanner.inventory.runs import utc_now, verify_chain
from scanner.reports import charts
from scanner.reports.templates import render
from scanner.risk.register import build_register
from scanner.scope.draft import ServiceDescriber, ordered
from scanner.inventory.service_evidence import fold

CHART_SERVICES = 15
MAX_RUN_COLUMNS = 60
RECENT_RUNS_WITH_GAPS = 30
TOP_RISKS = 15


def new_services_over_time(db: sqlite_utils.Database) -> list[tuple[str, int]]:
    """How many services each sealed scan run saw for the first time; per day when there are many runs."""
    first_runs = Counter(row[0] for row in db.execute(
        "select min(first_run) from findings group by service_id"))
    runs = list(db.query("select id, started_at from runs where module != 'discover' and chain_seq is not null "
                         "order by id"))
    if len(runs) <= MAX_RUN_COLUMNS:
        return [(f"run {r['id']} · {(r['started_at'] or '')[:10]}", first_runs.get(r["id"], 0)) for r in runs]
    per_day: dict[str, int] = {}
    for run in runs:
        day = (run["started_at"] or "")[:10]
        per_day[day] = per_day.get(day, 0) + first_runs.get(run["id"], 0)
    return list(per_day.items())


def recent_gaps(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    gaps = []
    for run in db.query("select id, module, scope, started_at, coverage_gaps from runs where coverage_gaps != '[]' "
                        "order by id desc limit ?", [RECENT_RUNS_WITH_GAPS]):
        for gap in json.loads(run["coverage_gaps"] or "[]"):
            gaps.append({"run_id": run["id"], "module": run["module"], "scope": run["scope"] or "",
                         "started_at": run["started_at"], "what": gap.get("what", ""), "why": gap.get("why", "")})
    return gaps


def report_context(db: sqlite_utils.Database, catalogue: Catalogue, *, templates_dir: Path | None = None,
                   today: dt.date | None = None) -> dict[str, Any]:
    describer = ServiceDescriber(db, catalogue)
    rows = list(db.query("select * from findings"))
    services = ordered([describer.line(e) for e in fold(rows).values()])
    known = [s for s in services if not s.unknown]
    problems = verify_chain(db)
    sealed = db.execute("select count(*) from runs where chain_seq is not null").fetchone()[0]
    register = build_register(db, catalogue, templates_dir=templates_dir, today=today)
    by_users = sorted(known, key=lambda s: (-s.count("users") - s.count("devices"), s.name))[:CHART_SERVICES]
    by_source = Counter(row["source"] for row in rows)
    return {
        "tool_version": __version__, "generated_at": utc_now(), "catalogue_version": catalogue.version,
        "services": services,
        "headline": {
            "services": len(known), "shadow": sum(1 for s in known if s.shadow),
            "sanctioned": sum(1 for s in known if s.status == "sanctioned"),
            "tolerated": sum(1 for s in known if s.status == "tolerated"),
            "blocked_in_use": sum(1 for s in known if s.status == "blocked"),
            "unknown_findings": sum(s.findings for s in services if s.unknown),
            "subjects": len({(r["source"], r["subject"]) for r in rows}), "findings": len(rows),
            "runs": sealed, "high_risks": sum(1 for r in register if r["rating"] == "high"),
        },
        "charts": {
            "by_users": charts.horizontal_bars(
                [(s.name, s.count("users") + s.count("devices"), s.status) for s in by_users],
                "AI services by users and devices", "users and devices"),
            "over_time": charts.columns(new_services_over_time(db), "New AI services per run", "new services"),
            "by_source": charts.horizontal_bars(
                [(source, count, "") for source, count in by_source.most_common()], "Findings by source", "findings"),
        },
        "status_colours": charts.STATUS_COLOURS,
        "risks": register[:TOP_RISKS], "risk_total": len(register),
        "gaps": recent_gaps(db),
        "chain": {"ok": not problems, "sealed": sealed, "problems": [str(p) for p in problems]},
    }


def render_report(db: sqlite_utils.Database, catalogue: Catalogue, *, templates_dir: Path | None = None,
                  today: dt.date | None = None) -> str:
    context = report_context(db, catalogue, templates_dir=templates_dir, today=today)
    return render("report.html.j2", templates_dir, **context)
