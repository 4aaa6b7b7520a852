"""Check and convert one configuration value by its kind (see schema.py), naming the key's line on error."""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import re
from pathlib import Path
from typing import Any

from scanner.config.schema import Field

SIZE = re.compile(r"^\s*\d+(\.\d+)?\s*[kKmMgG]?(i?[bB])?\s*$")
URL_LIKE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://|^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:")


class ValueProblem(ValueError):
    """A value of the wrong kind; the loader adds the file and line."""


def resolve(base: Path, value: str) -> str:
    expanded = os.path.expanduser(value)
    return expanded if os.path.isabs(expanded) else os.path.normpath(os.path.join(base, expanded))


def strings(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueProblem("must be a list of strings, e.g. [\"a\", \"b\"]")
    return value


def convert(field: Field, value: Any, base: Path) -> Any:
    kind = field.kind
    if kind == "str":
        if not isinstance(value, str):
            raise ValueProblem("must be a string")
        return value
    if kind == "bool":
        if not isinstance(value, bool):
            raise ValueProblem("must be true or false")
        return value
    if kind == "int":
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValueProblem("must be a whole number")
        return value
    if kind == "number":
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise ValueProblem("must be a number")
        return value
    if kind == "size":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and SIZE.match(value):
            return value
        raise ValueProblem("must be a size: a number of bytes or a string such as \"512K\", \"5M\", \"1G\"")
    if kind == "strings":
        return strings(value)
    if kind == "path":
        if not isinstance(value, str) or not value:
            raise ValueProblem("must be a path (a string)")
        return Path(resolve(base, value))
    if kind == "paths":
        return [resolve(base, item) for item in strings(value)]
    if kind == "targets":
        return [item if URL_LIKE.match(item) else resolve(base, item) for item in strings(value)]
    if kind == "cidrs":
        networks = []
        for item in strings(value):
            try:
                networks.append(ipaddress.ip_network(item, strict=False))
            except ValueError:
                raise ValueProblem(f"'{item}' is not a network (a CIDR such as 10.20.0.0/16)") from None
        return networks
    if kind == "date":
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        raise ValueProblem("must be a date (YYYY-MM-DD)")
    raise AssertionError(f"unknown field kind {kind}")
