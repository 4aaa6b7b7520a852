"""The sanctions file: which AI services (or whole categories) are sanctioned, tolerated or blocked, with an
owner, the approved use and a review date. Everything seen and not listed is unsanctioned ("shadow AI").

TOML::

    [services.chatgpt]
    status = "sanctioned"
    owner = "it-security@example.com"
    approved_use = "Enterprise workspace only; no customer data"
    review_date = 2026-06-30

    [categories.coding-assistant]
    status = "tolerated"

or CSV with the columns ``target,status,owner,approved_use,review_date`` where a target is a service id or
``category:<id>``. The file is the policy: loading it replaces the inventory's ``sanctions`` table.
"""

from __future__ import annotations

import csv
import tomllib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import sqlite_utils

from scanner.catalogue.loader import Catalogue
from scanner.config.errors import ConfigError
from scanner.config.schema import Field
from scanner.config.toml_lines import LineFinder
from scanner.config.values import ValueProblem, convert
from scanner.inventory.database import transaction
from scanner.inventory.runs import utc_now

STATUSES = ("sanctioned", "tolerated", "blocked")
CATEGORY_PREFIX = "category:"
ENTRY_FIELDS = {
    "status": Field("str", "sanctioned, tolerated or blocked", required=True),
    "owner": Field("str", "Who owns the decision and the service."),
    "approved_use": Field("str", "What the service may be used for."),
    "review_date": Field("date", "When the decision is reviewed next (YYYY-MM-DD)."),
}
CSV_COLUMNS = ("target", "status", "owner", "approved_use", "review_date")


@dataclass(frozen=True)
class Sanction:
    target: str  # a service id, or "category:<id>"
    status: str
    owner: str = ""
    approved_use: str = ""
    review_date: str = ""  # ISO date, or empty


def check_target(catalogue: Catalogue, target: str) -> str | None:
    if target.startswith(CATEGORY_PREFIX):
        category = target[len(CATEGORY_PREFIX):]
        return None if category in catalogue.categories else f"unknown category '{category}'"
    if target.startswith("unknown-") or catalogue.service(target) is not None:
        return None
    return f"unknown service id '{target}' (not in the catalogue: see 'shadowai catalogue list')"


def entry(target: str, values: dict[str, Any]) -> Sanction:
    status = values["status"]
    if status not in STATUSES:
        raise ValueProblem(f"status '{status}' must be one of {', '.join(STATUSES)}")
    review = values.get("review_date")
    return Sanction(target, status, values.get("owner", ""), values.get("approved_use", ""),
                    review.isoformat() if review else "")


def load_sanctions(path: Path, catalogue: Catalogue) -> list[Sanction]:
    if path.suffix.lower() == ".csv":
        return load_csv(path, catalogue)
    return load_toml(path, catalogue)


def load_toml(path: Path, catalogue: Catalogue) -> list[Sanction]:
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except OSError as exc:
        raise ConfigError(path, None, f"cannot read the sanctions file: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, None, f"not valid TOML: {exc}") from None
    lines = LineFinder(text)
    sanctions = []
    for name in data:
        if name not in ("services", "categories"):
            raise ConfigError(path, lines.line((name,)), f"unknown key '{name}' (use [services.ID] or [categories.ID])")
    for group, prefix in (("services", ""), ("categories", CATEGORY_PREFIX)):
        for ident, values in (data.get(group) or {}).items():
            key = (group, ident)
            if not isinstance(values, dict):
                raise ConfigError(path, lines.line(key), f"'{group}.{ident}' must be a table")
            for unknown in set(values) - set(ENTRY_FIELDS):
                raise ConfigError(path, lines.line(key + (unknown,)),
                                  f"unknown key '{group}.{ident}.{unknown}' (known: {', '.join(ENTRY_FIELDS)})")
            problem = check_target(catalogue, prefix + ident)
            if problem:
                raise ConfigError(path, lines.line(key), problem)
            try:
                if "status" not in values:
                    raise ValueProblem("needs a status (sanctioned, tolerated or blocked)")
                converted = {k: convert(ENTRY_FIELDS[k], v, path.parent) for k, v in values.items()}
                sanctions.append(entry(prefix + ident, converted))
            except ValueProblem as exc:
                where = key + ("status",) if "status" in str(exc) else key
                raise ConfigError(path, lines.line(where), f"{group}.{ident}: {exc}") from None
    return sanctions


def load_csv(path: Path, catalogue: Catalogue) -> list[Sanction]:
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise ConfigError(path, None, f"cannot read the sanctions file: {exc.strerror or exc}") from None
    sanctions = []
    with handle:
        reader = csv.DictReader(handle)
        header = [name.strip().lower() for name in reader.fieldnames or []]
        unknown = [name for name in header if name not in CSV_COLUMNS]
        if unknown or "target" not in header or "status" not in header:
            raise ConfigError(path, 1, f"columns must be {','.join(CSV_COLUMNS)} (target and status required)")
        reader.fieldnames = header
        for row in reader:
            target = (row.get("target") or "").strip()
            if not target:
                continue
            problem = check_target(catalogue, target)
            if problem:
                raise ConfigError(path, reader.line_num, problem)
            values = {k: (v or "").strip() for k, v in row.items() if k != "target" and (v or "").strip()}
            try:
                converted = {k: convert(ENTRY_FIELDS[k], v, path.parent) for k, v in values.items()}
                sanctions.append(entry(target, converted if "status" in converted else {"status": ""}))
            except ValueProblem as exc:
                raise ConfigError(path, reader.line_num, f"{target}: {exc}") from None
    return sanctions


def apply_sanctions(db: sqlite_utils.Database, sanctions: list[Sanction]) -> int:
    """Make the inventory's sanctions table say what the file says. Unchanged rows keep their updated_at."""
    now = utc_now()
    previous = {row["target"]: row for row in db.query("select * from sanctions")}
    with transaction(db):
        db.execute("delete from sanctions")
        for sanction in sanctions:
            row = asdict(sanction)
            old = previous.get(sanction.target)
            unchanged = old is not None and all((old.get(k) or "") == v for k, v in row.items())
            row["updated_at"] = old["updated_at"] if unchanged else now
            db["sanctions"].insert(row, replace=True)
    return len(sanctions)


def sanction_details(db: sqlite_utils.Database) -> dict[str, dict[str, str]]:
    """target -> the sanctions row (status, owner, approved use, review date)."""
    return {row["target"]: row for row in db.query("select * from sanctions")}
