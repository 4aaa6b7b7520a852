"""Writing rows as a table, CSV, JSON or JSON lines to stdout or a file."""

from __future__ import annotations

import csv
import json
from typing import Any, Iterable, TextIO

from tabulate import tabulate

from scanner.exports.spreadsheet_safe import neutralise


def write_rows(rows: Iterable[dict[str, Any]], columns: list[str], output_format: str, out: TextIO) -> int:
    rows = list(rows)
    if output_format == "table":
        out.write(tabulate([[row.get(c, "") for c in columns] for row in rows], headers=columns) + "\n")
    elif output_format == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([neutralise(row.get(c)) for c in columns])
    elif output_format == "json":
        out.write(json.dumps([{c: row.get(c) for c in columns} for row in rows], indent=2, ensure_ascii=False) + "\n")
    elif output_format == "jsonl":
        for row in rows:
            out.write(json.dumps({c: row.get(c) for c in columns}, ensure_ascii=False) + "\n")
    else:
        raise ValueError(output_format)
    return len(rows)
