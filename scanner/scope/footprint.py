"""Which findings come from a scope's sources: the sources' modules, and for logs and repositories only the
logs and repositories the configuration names (a log scanned by hand elsewhere is not part of the scope).

Log findings carry the log's location with rotation and compression suffixes removed, so a configured
``/var/log/squid/access.log*`` or ``/var/log/squid`` still covers logs rotated away since they were read.
"""

from __future__ import annotations

import os
from fnmatch import fnmatchcase
from typing import Any, Callable

from scanner.config.model import SourceConfig
from scanner.modules.logs.inputs import log_location


def log_matcher(patterns: list[str]) -> Callable[[str], bool]:
    prepared = [(pattern, log_location(pattern), pattern.rstrip("/") + "/") for pattern in patterns]

    def matches(location: str) -> bool:
        return any(fnmatchcase(location, pattern) or fnmatchcase(location, stripped) or location.startswith(folder)
                   for pattern, stripped, folder in prepared)
    return matches


def repo_subjects(targets: list[str]) -> set[str] | None:
    try:
        from scanner.modules.repo.targets import TargetError, parse_target
    except ImportError:  # the repository module is not installed: every repo finding counts
        return None
    subjects = set()
    for target in targets:
        try:
            subjects.add(parse_target(target).subject)
        except TargetError:
            subjects.add(os.path.realpath(target))
    return subjects


def footprint(sources: list[SourceConfig]) -> Callable[[dict[str, Any]], bool]:
    allowed = {source.schema.finding_source for source in sources}
    by_name = {source.name: source for source in sources}
    logs = log_matcher(by_name["logs"].options.get("paths", [])) if "logs" in by_name else None
    repos = repo_subjects(by_name["repo"].options.get("targets", [])) if "repo" in by_name else None

    def belongs(row: dict[str, Any]) -> bool:
        if row["source"] not in allowed:
            return False
        if row["source"] == "logs" and logs is not None:
            return logs(row["location"])
        if row["source"] == "repo" and repos is not None:
            return row["subject"] in repos
        return True
    return belongs
