"""Neutralise spreadsheet formulas in exported cells (CSV/formula injection).

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is evaluated by Excel,
LibreOffice and Google Sheets. Such cells are prefixed with a single quote, which every one of them shows as
text and does not evaluate (OWASP "CSV Injection" guidance). Numbers stay numbers: ``-3`` is left alone.
"""

from __future__ import annotations

from typing import Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = str(value)
    if text.startswith(TRIGGERS) and not is_plain_number(text):
        return "'" + text
    return text


def is_plain_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return text.strip() == text and text.lower() not in {"nan", "inf", "-inf", "+inf", "infinity", "-infinity"}
