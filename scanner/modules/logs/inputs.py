"""Turn the PATH arguments of `scan logs` into a list of files to read."""

from __future__ import annotations

import glob
import os
import re
from pathlib import Path

STDIN = "-"
URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")  # s3://bucket/key, gs://…, az://…: read through fsspec (remote.py)
ROTATION = re.compile(r"(\.\d+|[-.]\d{8}(\d{2,6})?|[-.]\d{4}-\d{2}-\d{2}(T[\d:-]+)?)$")
COMPRESSION = (".gz", ".gzip")


def is_url(argument: str) -> bool:
    return bool(URL.match(argument))


def expand(arguments: list[str], *, keep_urls: bool = False) -> tuple[list[str], list[str]]:
    """(files in a stable order, arguments that named nothing). ``keep_urls``: URL arguments are kept as they
    are, to be listed where they are read (remote.expand_urls)."""
    files: list[str] = []
    missing: list[str] = []
    for argument in arguments:
        if argument == STDIN:
            files.append(STDIN)
            continue
        if keep_urls and is_url(argument):
            files.append(argument)
            continue
        path = Path(argument).expanduser()
        if path.is_dir():
            files += sorted(
                str(p) for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")
            )
        elif path.exists():
            files.append(str(path))
        else:
            matched = sorted(p for p in glob.glob(os.path.expanduser(argument), recursive=True) if os.path.isfile(p))
            if matched:
                files += matched
            else:
                missing.append(argument)
    return list(dict.fromkeys(files)), missing


def log_location(path: str) -> str:
    """The log a file belongs to, independent of rotation: /var/log/squid/access.log.2.gz -> …/access.log."""
    if path == STDIN:
        return "<stdin>"
    absolute = path if is_url(path) else os.path.abspath(path)
    for suffix in COMPRESSION:
        if absolute.endswith(suffix):
            absolute = absolute[: -len(suffix)]
    return ROTATION.sub("", absolute) or absolute
