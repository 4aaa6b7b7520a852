"""Python dependencies: requirements files (pip's format), pyproject.toml (PEP 621, PEP 735 groups and Poetry),
Pipfile and Pipfile.lock (pipenv), poetry.lock and uv.lock, setup.cfg (setuptools) and conda's
environment.yml (its ``pip:`` list is PyPI; conda packages are matched under PyPI names, with less confidence).
"""

from __future__ import annotations

import configparser
import json
import re
import tomllib
from typing import Any, Iterator

import yaml

from scanner.modules.repo.detectors.base import HIGH, MEDIUM, Detection, SourceFile, line_containing, quoted_line
from scanner.observations import PackageUse

ECOSYSTEM = "pypi"
# PEP 508: the name, then extras, a version specifier, a URL (@) or a marker (;)
REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(.*)$")
EGG = re.compile(r"[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)")
VERSION_PIN = re.compile(r"^(===?|~=|>=|<=|!=|>|<)\s*([^\s,;]+)")


def use(file: SourceFile, name: str, version: str | None, line: int | None, confidence: str = HIGH) -> Detection:
    return Detection(PackageUse(ECOSYSTEM, name, version or None, file.repo, file.path, line=line), confidence)


def parse_requirement(text: str) -> tuple[str, str | None] | None:
    """('openai', '1.40') from 'openai[x]==1.40 ; python_version>"3.8"', ('openai', '>=1.40') from
    'openai>=1.40,<2' (a range keeps its operator: it is not a version in use); None for what is not a
    requirement."""
    found = REQUIREMENT.match(text)
    if not found:
        return None
    rest = found.group(2).strip()
    pin = VERSION_PIN.match(rest)
    if pin is None:
        return found.group(1), None
    return found.group(1), pin.group(2) if pin.group(1) in ("==", "===") else pin.group(1) + pin.group(2)


def requirements_txt(file: SourceFile) -> Iterator[Detection]:
    for number, raw in enumerate(file.text.splitlines(), 1):
        line = raw.split(" #", 1)[0].split("\t#", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("-"):
            egg = EGG.search(line)  # -e git+https://…#egg=name
            if egg:
                yield use(file, egg.group(1), None, number, MEDIUM)
            continue
        if "://" in line.split("@", 1)[0]:
            egg = EGG.search(line)
            if egg:
                yield use(file, egg.group(1), None, number, MEDIUM)
            continue
        parsed = parse_requirement(line)
        if parsed:
            yield use(file, parsed[0], parsed[1], number)


def requirement_list(file: SourceFile, entries: Any, confidence: str = HIGH) -> Iterator[Detection]:
    if not isinstance(entries, list):
        return
    for entry in entries:
        if isinstance(entry, str):
            parsed = parse_requirement(entry)
            if parsed:
                line = line_containing(file.text, entry) or quoted_line(file.text, parsed[0])
                yield use(file, parsed[0], parsed[1], line, confidence)


def poetry_table(file: SourceFile, table: Any) -> Iterator[Detection]:
    if not isinstance(table, dict):
        return
    for name, spec in table.items():
        if name.lower() == "python":
            continue
        version = spec if isinstance(spec, str) else (spec.get("version") if isinstance(spec, dict) else None)
        yield use(file, name, version, quoted_line(file.text, name))


def pyproject_toml(file: SourceFile) -> Iterator[Detection]:
    data = tomllib.loads(file.text)
    project = data.get("project", {})
    yield from requirement_list(file, project.get("dependencies"))
    for entries in (project.get("optional-dependencies") or {}).values():
        yield from requirement_list(file, entries)
    for entries in (data.get("dependency-groups") or {}).values():  # PEP 735
        yield from requirement_list(file, entries)
    build = data.get("build-system", {})
    yield from requirement_list(file, build.get("requires"), MEDIUM)
    poetry = data.get("tool", {}).get("poetry", {})
    yield from poetry_table(file, poetry.get("dependencies"))
    yield from poetry_table(file, poetry.get("dev-dependencies"))
    for group in (poetry.get("group") or {}).values():
        if isinstance(group, dict):
            yield from poetry_table(file, group.get("dependencies"))
    uv = data.get("tool", {}).get("uv", {})
    yield from requirement_list(file, uv.get("dev-dependencies"))


def pipfile(file: SourceFile) -> Iterator[Detection]:
    data = tomllib.loads(file.text)
    for section in ("packages", "dev-packages"):
        yield from poetry_table(file, data.get(section))


def pipfile_lock(file: SourceFile) -> Iterator[Detection]:
    data = json.loads(file.text)
    for section in ("default", "develop"):
        for name, spec in (data.get(section) or {}).items():
            version = spec.get("version", "").lstrip("=") if isinstance(spec, dict) else None
            yield use(file, name, version, line_containing(file.text, f'"{name}"'))


def package_lock_toml(file: SourceFile) -> Iterator[Detection]:
    """poetry.lock and uv.lock: [[package]] tables with name and version."""
    data = tomllib.loads(file.text)
    names = {}
    for found in re.finditer(r'(?m)^name = "([^"]+)"', file.text):
        names.setdefault(found.group(1), file.text.count("\n", 0, found.start()) + 1)
    for package in data.get("package", []):
        if isinstance(package, dict) and isinstance(package.get("name"), str):
            yield use(file, package["name"], package.get("version"), names.get(package["name"]), MEDIUM)


def setup_cfg(file: SourceFile) -> Iterator[Detection]:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.read_string(file.text)
    values = []
    if parser.has_option("options", "install_requires"):
        values.append(parser.get("options", "install_requires"))
    if parser.has_section("options.extras_require"):
        values += [value for _, value in parser.items("options.extras_require")]
    for value in values:
        for entry in value.splitlines():
            entry = entry.split("#", 1)[0].strip()
            parsed = parse_requirement(entry) if entry else None
            if parsed:
                yield use(file, parsed[0], parsed[1], line_containing(file.text, entry))


def environment_yml(file: SourceFile) -> Iterator[Detection]:
    data = yaml.safe_load(file.text)
    if not isinstance(data, dict):
        return
    for entry in data.get("dependencies") or []:
        if isinstance(entry, dict):
            for pip_entry in entry.get("pip") or []:
                if isinstance(pip_entry, str) and not pip_entry.startswith("-"):
                    parsed = parse_requirement(pip_entry)
                    if parsed:
                        yield use(file, parsed[0], parsed[1], line_containing(file.text, pip_entry))
        elif isinstance(entry, str):
            spec = entry.split("::", 1)[-1]  # channel::name=version
            parsed = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)\s*=*\s*([^=\s]*)", spec)
            if parsed and parsed.group(1).lower() != "python":
                yield use(file, parsed.group(1), parsed.group(2) or None, line_containing(file.text, entry), MEDIUM)
