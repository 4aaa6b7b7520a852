"""The departments CSV: who belongs to which department, for scopes that name departments.

Columns ``user`` and ``department`` (other columns are ignored); ``user`` is a login or an e-mail address,
matched without regard to case against the subjects of findings.
"""

from __future__ import annotations

import csv
from pathlib import Path

from scanner.config.errors import ConfigError

REQUIRED = ("user", "department")


def load_departments(path: Path) -> dict[str, str]:
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise ConfigError(path, None, f"cannot read the departments CSV: {exc.strerror or exc}") from None
    people: dict[str, str] = {}
    with handle:
        reader = csv.DictReader(handle)
        header = [name.strip().lower() for name in (reader.fieldnames or [])]
        missing = [name for name in REQUIRED if name not in header]
        if missing:
            raise ConfigError(path, 1, f"the departments CSV needs the columns user,department "
                                       f"(missing: {', '.join(missing)})")
        reader.fieldnames = header
        for row in reader:
            user = (row.get("user") or "").strip().lower()
            department = (row.get("department") or "").strip()
            if not user and not department:
                continue
            if not user or not department:
                raise ConfigError(path, reader.line_num, "a row needs both a user and a department")
            people[user] = department
    return people
