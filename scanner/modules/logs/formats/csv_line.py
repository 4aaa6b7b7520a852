"""One line of a comma-separated log (Umbrella, Zscaler NSS, PAN-OS): quoted fields may hold commas.

Umbrella puts a space after some separators (``"a", "b"``); it is not part of the value.
"""

from __future__ import annotations

import csv

from scanner.modules.logs.formats.base import BadRecord


def csv_fields(line: str, delimiter: str = ",") -> list[str]:
    try:
        rows = list(csv.reader([line], delimiter=delimiter, skipinitialspace=True, strict=True))
    except csv.Error as exc:
        raise BadRecord(f"not a well-formed CSV line ({exc})") from exc
    return rows[0] if rows else []
