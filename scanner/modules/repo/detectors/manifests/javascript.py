"""npm dependencies: package.json, and the lock files of npm (package-lock.json / npm-shrinkwrap.json, v1–v3),
Yarn (classic v1 and Berry) and pnpm (lockfile v5–v9). Lock files also list transitive dependencies, so their
uses carry medium confidence; package.json says what the project itself asked for.
"""

from __future__ import annotations

import json
import re
from typing import Any, Iterator

from scanner.modules.repo.detectors.base import HIGH, MEDIUM, Detection, SourceFile, line_containing
from scanner.observations import PackageUse

ECOSYSTEM = "npm"
DEPENDENCY_SECTIONS = ("dependencies", "devDependencies", "peerDependencies", "optionalDependencies")
LOCK_KEY = re.compile(r'^\s*"((?:[^"\\]|\\.)*)":\s*\{', re.M)


def use(file: SourceFile, name: str, version: Any, line: int | None, confidence: str) -> Detection:
    version = version if isinstance(version, str) and version else None
    return Detection(PackageUse(ECOSYSTEM, name, version, file.repo, file.path, line=line), confidence)


def package_json(file: SourceFile) -> Iterator[Detection]:
    data = json.loads(file.text)
    if not isinstance(data, dict):
        return
    for section in DEPENDENCY_SECTIONS:
        dependencies = data.get(section)
        if isinstance(dependencies, dict):
            for name, version in dependencies.items():
                yield use(file, name, version, line_containing(file.text, f'"{name}"'), HIGH)


def key_lines(text: str) -> dict[str, int]:
    """The line of each JSON object key (first occurrence), in one pass."""
    lines: dict[str, int] = {}
    line, position = 1, 0
    for found in LOCK_KEY.finditer(text):
        line += text.count("\n", position, found.start())
        position = found.start()
        lines.setdefault(found.group(1), line)
    return lines


def package_lock_json(file: SourceFile) -> Iterator[Detection]:
    data = json.loads(file.text)
    if not isinstance(data, dict):
        return
    lines = key_lines(file.text)
    packages = data.get("packages")
    if isinstance(packages, dict):  # lockfile v2 and v3: "node_modules/a/node_modules/@s/b": {...}
        for key, entry in packages.items():
            if "node_modules/" not in key or not isinstance(entry, dict):
                continue
            name = entry.get("name") or key.rsplit("node_modules/", 1)[1]
            yield use(file, name, entry.get("version"), lines.get(key), MEDIUM)
        return
    stack = [data.get("dependencies")]  # lockfile v1: nested "dependencies"
    while stack:
        dependencies = stack.pop()
        if not isinstance(dependencies, dict):
            continue
        for name, entry in dependencies.items():
            if isinstance(entry, dict):
                yield use(file, name, entry.get("version"), lines.get(name), MEDIUM)
                stack.append(entry.get("dependencies"))


def spec_name(spec: str) -> str | None:
    """'@scope/name@^1.0' -> '@scope/name'; 'name@npm:1.0' -> 'name'."""
    spec = spec.strip().strip('"').strip("'")
    at = spec.find("@", 1)
    name = spec[:at] if at > 0 else spec
    return name or None


def yarn_lock(file: SourceFile) -> Iterator[Detection]:
    current: list[tuple[str, int]] = []
    for number, line in enumerate(file.text.splitlines(), 1):
        if not line or line.startswith("#"):
            continue
        if not line[0].isspace() and line.rstrip().endswith(":"):
            names = {spec_name(spec) for spec in line.rstrip()[:-1].split(",")}
            current = [(name, number) for name in sorted(n for n in names if n and n != "__metadata")]
            continue
        stripped = line.strip()
        if current and (stripped.startswith("version ") or stripped.startswith("version:")):
            version = stripped.split(None, 1)[1].strip().strip('"') if " " in stripped else None
            for name, entry_line in current:
                yield use(file, name, version, entry_line, MEDIUM)
            current = []


def pnpm_key(key: str) -> tuple[str, str | None] | None:
    """'/@scope/name@1.2.3(peer@1)' (v6), '/name/1.2.3' (v5), 'name@1.2.3' (v9) -> (name, version)."""
    key = key.strip().strip("'\"").lstrip("/").split("(", 1)[0]
    at = key.find("@", 1)
    if at > 0:
        return key[:at], key[at + 1:] or None
    name, _, version = key.rpartition("/")
    if name and version[:1].isdigit():
        return name, version
    return (key, None) if key else None


def pnpm_lock_yaml(file: SourceFile) -> Iterator[Detection]:
    section = None
    seen: set[tuple[str, str | None]] = set()
    for number, line in enumerate(file.text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            section = line.split(":", 1)[0].strip()
            continue
        if section in ("packages", "snapshots") and line.startswith("  ") and not line.startswith("   ") \
                and line.rstrip().endswith(":"):
            parsed = pnpm_key(line.strip()[:-1])
            if parsed and parsed not in seen:
                seen.add(parsed)
                yield use(file, parsed[0], parsed[1], number, MEDIUM)
