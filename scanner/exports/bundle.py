"""The evidence bundle for auditors: one folder (or .zip) that shows what AI is in use and how it was observed.

Contents: the inventory (every finding), the runs with their coverage gaps, the sanctions in force, the risk
register, the latest scope draft of every configured scope, the HTML report, the catalogue version, the
run-chain verification result, a README, and ``manifest.json`` with the size and SHA-256 of every other file
(``SHA256SUMS`` repeats them, manifest included, for ``sha256sum -c``).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import sqlite_utils

from scanner import __version__
from scanner.catalogue.loader import Catalogue
from scanner.cli.output import write_rows
from scanner.config.model import WHOLE_ORGANISATION, Config
from scanner.exports.spreadsheet_safe import neutralise
from scanner.inventory.runs import utc_now, verify_chain
from scanner.inventory.views import EXPORT_COLUMNS, finding_rows
from scanner.reports.inventory_report import render_report
from scanner.reports.templates import render
from scanner.risk.files import write_register
from scanner.risk.register import REGISTER_COLUMNS, build_register
from scanner.scope.draft import build_draft, latest_discover_run
from scanner.scope.draft_files import write_draft

RUN_COLUMNS = ["id", "module", "scope", "status", "started_at", "ended_at", "catalogue_version", "tool_version",
               "host", "counts", "errors_total", "coverage_gap_count", "coverage_gaps", "parameters", "inputs",
               "chain_seq", "prev_hash", "row_hash"]
GAP_COLUMNS = ["run_id", "module", "scope", "started_at", "what", "why"]
SANCTION_COLUMNS = ["target", "status", "owner", "approved_use", "review_date", "updated_at"]
MANIFEST = "manifest.json"
CHECKSUMS = "SHA256SUMS"


class BundleError(Exception):
    """The bundle cannot be written where asked."""


def csv_file(path: Path, columns: list[str], rows: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([neutralise(row.get(c)) for c in columns])


def run_rows(db: sqlite_utils.Database) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    runs, gaps = [], []
    for row in db.query("select * from runs order by id"):
        run_gaps = json.loads(row["coverage_gaps"] or "[]")
        counts = json.loads(row["counts"] or "{}")
        runs.append({**row, "errors_total": counts.get("errors", 0), "coverage_gap_count": len(run_gaps),
                     "coverage_gaps": "; ".join(f"{g.get('what')}: {g.get('why')}" for g in run_gaps)})
        gaps += [{"run_id": row["id"], "module": row["module"], "scope": row["scope"], "started_at": row["started_at"],
                  "what": g.get("what"), "why": g.get("why")} for g in run_gaps]
    return runs, gaps


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fill(folder: Path, db: sqlite_utils.Database, catalogue: Catalogue, config: Config,
         templates_dir: Path | None, today: dt.date) -> dict[str, Any]:
    with (folder / "inventory.csv").open("w", encoding="utf-8", newline="") as handle:
        findings = write_rows(finding_rows(db, catalogue), EXPORT_COLUMNS, "csv", handle)
    runs, gaps = run_rows(db)
    csv_file(folder / "runs.csv", RUN_COLUMNS, runs)
    csv_file(folder / "coverage-gaps.csv", GAP_COLUMNS, gaps)
    csv_file(folder / "sanctions.csv", SANCTION_COLUMNS, list(db.query("select * from sanctions order by target")))
    register = build_register(db, catalogue, templates_dir=templates_dir, today=today)
    write_register(folder / "risk-register.csv", register, REGISTER_COLUMNS)
    write_register(folder / "risk-register.xlsx", register, REGISTER_COLUMNS)
    drafts = []
    for name in [*config.scopes, WHOLE_ORGANISATION]:
        discover_run = latest_discover_run(db, name)
        if discover_run is None:
            continue
        scope = config.scope(None if name == WHOLE_ORGANISATION else name)
        draft = build_draft(db, catalogue, config, scope, discover_run=discover_run, today=today)
        write_draft(draft, folder / "scope-drafts", templates_dir)
        drafts.append({"scope": name, "discover_run": discover_run["id"]})
    (folder / "report.html").write_text(render_report(db, catalogue, templates_dir=templates_dir, today=today),
                                        encoding="utf-8")
    (folder / "catalogue.json").write_text(json.dumps({
        "version": catalogue.version, "services": len(catalogue.services), "vendors": len(catalogue.vendors),
        "categories": len(catalogue.categories), "folders": [str(d) for d in catalogue.dirs],
    }, indent=2) + "\n", encoding="utf-8")
    problems = verify_chain(db)
    sealed = db.execute("select count(*) from runs where chain_seq is not null").fetchone()[0]
    chain = {"ok": not problems, "sealed_runs": sealed, "problems": [str(p) for p in problems],
             "verified_at": utc_now()}
    (folder / "chain-verification.json").write_text(json.dumps(chain, indent=2) + "\n", encoding="utf-8")
    summary = {"findings": findings, "runs": len(runs), "coverage_gaps": len(gaps), "risks": len(register),
               "drafts": drafts, "chain": chain, "catalogue_version": catalogue.version}
    (folder / "README.md").write_text(render("bundle-readme.md.j2", templates_dir, tool_version=__version__,
                                             created_at=utc_now(), summary=summary), encoding="utf-8")
    return summary


def seal_manifest(folder: Path, summary: dict[str, Any]) -> None:
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.name not in (MANIFEST, CHECKSUMS))
    entries = [{"path": p.relative_to(folder).as_posix(), "bytes": p.stat().st_size, "sha256": sha256_of(p)}
               for p in files]
    manifest = {"created_at": utc_now(), "tool_version": __version__, "catalogue_version": summary["catalogue_version"],
                "chain_ok": summary["chain"]["ok"], "files": entries}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    lines = [f"{e['sha256']}  {e['path']}" for e in entries] + [f"{sha256_of(folder / MANIFEST)}  {MANIFEST}"]
    (folder / CHECKSUMS).write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_bundle(target: str | Path, db: sqlite_utils.Database, catalogue: Catalogue, config: Config, *,
                 templates_dir: Path | None = None, today: dt.date | None = None) -> dict[str, Any]:
    target = Path(target)
    today = today or dt.date.today()
    as_zip = target.suffix.lower() == ".zip"
    if not as_zip and target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BundleError(f"{target}: exists and is not an empty folder (the bundle is never mixed with other files)")
    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".shadowai-bundle-", dir=parent))
    try:
        summary = fill(staging, db, catalogue, config, templates_dir, today)
        seal_manifest(staging, summary)
        if as_zip:
            temporary = staging.with_suffix(".zip")
            with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                for path in sorted(p for p in staging.rglob("*") if p.is_file()):
                    archive.write(path, path.relative_to(staging).as_posix())
            os.replace(temporary, target)
        else:
            if target.exists():
                target.rmdir()
            os.replace(staging, target)
            os.chmod(target, 0o755)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return summary


def verify_bundle(folder: str | Path) -> list[str]:
    """Problems found when checking a bundle folder against its manifest (empty when intact)."""
    folder = Path(folder)
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    problems = []
    listed = set()
    for entry in manifest["files"]:
        listed.add(entry["path"])
        path = folder / entry["path"]
        if not path.is_file():
            problems.append(f"{entry['path']}: missing")
        elif sha256_of(path) != entry["sha256"]:
            problems.append(f"{entry['path']}: SHA-256 differs from the manifest")
    for path in folder.rglob("*"):
        relative = path.relative_to(folder).as_posix()
        if path.is_file() and relative not in listed and path.name not in (MANIFEST, CHECKSUMS):
            problems.append(f"{relative}: not in the manifest")
    return problems
