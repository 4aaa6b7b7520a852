"""Read shadowai.toml (tomllib), check every key against the schema, and name the line of any problem.

Relative paths are resolved against the folder of the configuration file, so a config works from any
working directory. Unknown keys are errors (a misspelt key silently ignored would leave a source unscanned),
with the nearest known key suggested.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from pathlib import Path
from typing import Any, Iterable

from scanner.config.departments import load_departments
from scanner.config.errors import ConfigError
from scanner.config.model import DEFAULT_DRAFTS, WHOLE_ORGANISATION, Config, Scope, SourceConfig
from scanner.config.schema import SCOPE_FIELDS, SOURCES, TABLES, TOP_FIELDS, Field
from scanner.config.toml_lines import KeyPath, LineFinder
from scanner.config.values import ValueProblem, convert

SCOPE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def dotted(path: KeyPath) -> str:
    return ".".join(str(part) for part in path)


class Checker:
    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.finder = LineFinder(text)
        self.base = path.parent

    def fail(self, key: KeyPath, message: str) -> ConfigError:
        return ConfigError(self.path, self.finder.line(key), message)

    def table(self, key: KeyPath, value: Any) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(key, f"'{dotted(key)}' must be a table ([{dotted(key)}])")
        return value

    def known(self, key: KeyPath, given: Iterable[str], allowed: Iterable[str], what: str = "key") -> None:
        allowed = list(allowed)
        for name in given:
            if name not in allowed:
                close = difflib.get_close_matches(name, allowed, n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else f" (known: {', '.join(allowed)})"
                raise self.fail(key + (name,), f"unknown {what} '{dotted(key + (name,))}'{hint}")

    def fields(self, key: KeyPath, data: dict[str, Any], fields: dict[str, Field]) -> dict[str, Any]:
        self.known(key, data, fields)
        values = {}
        for name, field in fields.items():
            if name not in data:
                if field.required:
                    raise self.fail(key, f"[{dotted(key)}] needs '{name}': {field.help}")
                continue
            try:
                values[name] = convert(field, data[name], self.base)
            except ValueProblem as exc:
                raise self.fail(key + (name,), f"{dotted(key + (name,))}: {exc}") from None
        return values


def load_config(path: str | Path) -> Config:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(path, None, f"cannot read the configuration: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(path, None, "the configuration is not UTF-8 text") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, None, f"not valid TOML: {exc}") from None
    check = Checker(path, text)
    check.known((), data, list(TOP_FIELDS) + list(TABLES))
    top = check.fields((), {k: v for k, v in data.items() if k not in TABLES}, TOP_FIELDS)
    for name in ("sanctions", "departments"):
        if name in top and not top[name].is_file():
            raise check.fail((name,), f"{name}: no such file: {top[name]}")
    for name in ("templates",):
        if name in top and not top[name].is_dir():
            raise check.fail((name,), f"{name}: no such folder: {top[name]}")
    for folder in top.get("signatures", []):
        if not Path(folder).is_dir():
            raise check.fail(("signatures",), f"signatures: no such folder: {folder}")

    sources = load_sources(check, data.get("sources", {}))
    people = load_departments(top["departments"]) if "departments" in top else {}
    scopes = load_scopes(check, data.get("scopes", {}), sources, people, has_departments="departments" in top)
    from scanner.notifications.settings import load_notifications  # here: it imports scanner.config's schema

    notifications = load_notifications(check, data.get("notifications"))
    log_formats = load_log_formats(check, data.get("log_formats", {}))
    return Config(
        path=path, sources=sources, scopes=scopes,
        signatures=tuple(Path(p) for p in top.get("signatures", [])),
        sanctions=top.get("sanctions"), departments=top.get("departments"), people=people,
        templates=top.get("templates"), drafts=top.get("drafts") or check.base / DEFAULT_DRAFTS,
        notifications=notifications, log_formats=log_formats,
    )


def load_log_formats(check: Checker, data: Any) -> dict[str, dict[str, Any]]:
    """[log_formats.NAME] tables: CSV / JSON-lines formats described by a field mapping."""
    from scanner.modules.logs.formats.mapped import check_mapping

    data = check.table(("log_formats",), data)
    for name, table in data.items():
        key = ("log_formats", name)
        for field, message in check_mapping(name, check.table(key, table)):
            raise check.fail(key + ((field,) if field else ()), f"{dotted(key)}: {message}")
    return data


def load_sources(check: Checker, data: Any) -> dict[str, SourceConfig]:
    data = check.table(("sources",), data)
    check.known(("sources",), data, SOURCES, what="source")
    sources = {}
    for name, table in data.items():
        key = ("sources", name)
        values = check.fields(key, check.table(key, table), SOURCES[name].fields)
        enabled = values.pop("enabled", True)
        sources[name] = SourceConfig(name, values, enabled)
    return sources


def load_scopes(check: Checker, data: Any, sources: dict[str, SourceConfig], people: dict[str, str], *,
                has_departments: bool) -> dict[str, Scope]:
    data = check.table(("scopes",), data)
    known_departments = set(people.values())
    scopes = {}
    for name, table in data.items():
        key = ("scopes", name)
        if not SCOPE_NAME.match(name):
            raise check.fail(key, f"scope name '{name}': use letters, digits, '-', '_' or '.' (it names files)")
        if name == WHOLE_ORGANISATION:
            raise check.fail(key, f"scope name '{name}' is reserved for the whole organisation (discover without "
                                  "--scope)")
        values = check.fields(key, check.table(key, table), SCOPE_FIELDS)
        for source in values.get("sources", []):
            if source not in sources:
                raise check.fail(key + ("sources",), f"{dotted(key)}.sources: '{source}' is not a configured source "
                                 f"(add a [sources.{source}] table)")
        subject_map = "logs" in sources and "subjects" in sources["logs"].options
        for department in values.get("departments", []):
            if not has_departments and not subject_map:
                raise check.fail(key + ("departments",), f"{dotted(key)}.departments needs a departments CSV "
                                 "(top-level key 'departments = \"people.csv\"') or a subject map "
                                 "([sources.logs] subjects)")
            if has_departments and not subject_map and department not in known_departments:
                raise check.fail(key + ("departments",), f"{dotted(key)}.departments: '{department}' is not a "
                                 "department of the departments CSV")
        scopes[name] = Scope(name=name, **{k: tuple(v) if isinstance(v, list) else v for k, v in values.items()})
    return scopes
