"""Read and write the register as CSV (UTF-8 with BOM, so that Excel reads accents) or XLSX (openpyxl).

Every text cell is formula-neutralised (scanner/exports/spreadsheet_safe.py); numbers stay numbers. The XLSX
has the register on its first sheet ("Risk register", filter and frozen header, a status list) and the rules
that produced it on a second ("How to read").
"""

from __future__ import annotations

import csv
import os
import tempfile
from pathlib import Path
from typing import Any

from scanner.exports.spreadsheet_safe import neutralise
from scanner.risk.register import HUMAN_COLUMNS, STATUSES
from scanner.risk.scoring import RULES

SHEET = "Risk register"
GUIDE_SHEET = "How to read"
WIDE = {"risk_statement": 70, "suggested_treatment": 50, "scoring": 40, "notes": 40, "treatment": 40,
        "evidence_findings": 30, "annex_a": 24, "risky_scopes": 40}


class RegisterFileError(Exception):
    """An existing register that cannot be read for a merge."""


def register_format(path: str | Path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise RegisterFileError(f"{path}: the register must be a .csv or .xlsx file")
    return suffix[1:]


def read_register(path: str | Path) -> tuple[list[dict[str, Any]], list[str]]:
    if register_format(path) == "csv":
        try:
            with open(path, encoding="utf-8-sig", newline="") as handle:
                reader = csv.DictReader(handle)
                rows = [dict(row) for row in reader]
                return rows, list(reader.fieldnames or [])
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            raise RegisterFileError(f"{path}: cannot read the register: {exc}") from None
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several types for a file that is not a workbook
        raise RegisterFileError(f"{path}: cannot read the register: {exc}") from None
    sheet = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
    lines = sheet.iter_rows(values_only=True)
    header = [str(cell).strip() if cell is not None else "" for cell in next(lines, ())]
    rows = []
    for values in lines:
        if all(value is None for value in values):
            continue
        rows.append({name: ("" if value is None else value) for name, value in zip(header, values) if name})
    book.close()
    return rows, header


NUMERIC = frozenset({"likelihood", "impact", "inherent_score", "residual_score", "users", "devices", "accounts",
                     "repos", "hits", "consenting_users"})


def cell(value: Any, column: str) -> Any:
    """A numeric column's digits become a number (a CSV register read back has strings); text is neutralised."""
    if column in NUMERIC and isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return neutralise(value)


def write_register(path: str | Path, rows: list[dict[str, Any]], columns: list[str]) -> None:
    """Write beside the target and rename, so a reader (or a crash) never sees half a register."""
    kind = register_format(path)
    directory = os.path.dirname(os.path.abspath(path))
    fd, temporary = tempfile.mkstemp(prefix=".shadowai-", suffix=f".{kind}", dir=directory)
    os.close(fd)
    try:
        if kind == "csv":
            with open(temporary, "w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(columns)
                for row in rows:
                    writer.writerow([neutralise(row.get(c)) for c in columns])
        else:
            write_xlsx(temporary, rows, columns)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def write_xlsx(path: str, rows: list[dict[str, Any]], columns: list[str]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(columns)
    for row in rows:
        sheet.append([cell(row.get(c), c) for c in columns])
    bold, human = Font(bold=True), PatternFill("solid", fgColor="FFF2CC")
    for index, name in enumerate(columns, start=1):
        header = sheet.cell(row=1, column=index)
        header.font = bold
        if name in HUMAN_COLUMNS:
            header.fill = human
        sheet.column_dimensions[get_column_letter(index)].width = WIDE.get(name, 16)
    wrap = Alignment(wrap_text=True, vertical="top")
    for name in ("risk_statement", "suggested_treatment", "scoring"):
        if name in columns:
            letter = get_column_letter(columns.index(name) + 1)
            for target in sheet[letter][1:]:
                target.alignment = wrap
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = sheet.dimensions
    if "status" in columns and rows:
        letter = get_column_letter(columns.index("status") + 1)
        validation = DataValidation(type="list", formula1='"' + ",".join(STATUSES) + '"', allow_blank=True)
        validation.add(f"{letter}2:{letter}{len(rows) + 1}")
        sheet.add_data_validation(validation)
    guide = book.create_sheet(GUIDE_SHEET)
    guide.append(["Scoring rules: each axis starts at 1, adds the points of every rule that holds, capped at 5; "
                  "inherent score = likelihood × impact (high ≥ 15, medium ≥ 8)."])
    guide.append(["rule", "axis", "points", "when"])
    for rule in RULES:
        guide.append([rule.id, rule.axis, rule.points, rule.description])
    guide.append([])
    guide.append([f"Yellow columns ({', '.join(HUMAN_COLUMNS)}) are yours: 'shadowai risk-register --merge' keeps "
                  "them. Rows no longer seen are kept and dated in no_longer_seen."])
    guide.column_dimensions["A"].width = 28
    guide.column_dimensions["D"].width = 100
    book.save(path)
