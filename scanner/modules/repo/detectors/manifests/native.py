"""Go, Rust, .NET and Ruby dependencies: go.mod; Cargo.toml and Cargo.lock; *.csproj / *.fsproj / *.vbproj,
Directory.Packages.props and packages.config (NuGet); Gemfile and Gemfile.lock (RubyGems).
"""

from __future__ import annotations

import re
import tomllib
from typing import Iterator

from scanner.modules.repo.detectors.base import HIGH, MEDIUM, Detection, SourceFile, line_containing, quoted_line
from scanner.observations import PackageUse

NUGET_REFERENCE = re.compile(r"<Package(?:Reference|Version)\s+[^>]*?(?:Include|Update)\s*=\s*\"([^\"]+)\"([^>]*)>")
NUGET_VERSION_ATTRIBUTE = re.compile(r"Version\s*=\s*\"([^\"]+)\"")
PACKAGES_CONFIG = re.compile(r"<package\s+[^>]*?id\s*=\s*\"([^\"]+)\"([^>]*)>")
GEM = re.compile(r"^\s*gem\s+[\"']([^\"']+)[\"'](?:\s*,\s*[\"']([^\"']+)[\"'])?", re.M)
GEMFILE_LOCK_SPEC = re.compile(r"^    ([A-Za-z0-9][A-Za-z0-9._-]*) \(([^)]+)\)$", re.M)


def use(ecosystem: str, file: SourceFile, name: str, version: str | None, line: int | None,
        confidence: str = HIGH) -> Detection:
    return Detection(PackageUse(ecosystem, name, version or None, file.repo, file.path, line=line), confidence)


def line_at(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def go_mod(file: SourceFile) -> Iterator[Detection]:
    in_block = False
    for number, line in enumerate(file.text.splitlines(), 1):
        code = line.split("//", 1)[0].strip()
        if code.startswith("require ("):
            in_block = True
            continue
        if in_block and code == ")":
            in_block = False
            continue
        if in_block or code.startswith("require "):
            parts = code.removeprefix("require ").split()
            if len(parts) >= 2:
                indirect = "// indirect" in line
                yield use("go", file, parts[0], parts[1], number, MEDIUM if indirect else HIGH)


def cargo_toml(file: SourceFile) -> Iterator[Detection]:
    data = tomllib.loads(file.text)
    tables = [data.get(key) for key in ("dependencies", "dev-dependencies", "build-dependencies")]
    tables.append((data.get("workspace") or {}).get("dependencies"))
    for target in (data.get("target") or {}).values():
        if isinstance(target, dict):
            tables += [target.get(key) for key in ("dependencies", "dev-dependencies", "build-dependencies")]
    for table in tables:
        if not isinstance(table, dict):
            continue
        for key, spec in table.items():
            name, version = key, spec if isinstance(spec, str) else None
            if isinstance(spec, dict):
                name = spec.get("package", key)
                version = spec.get("version") if isinstance(spec.get("version"), str) else None
            yield use("cargo", file, name, version, quoted_line(file.text, key))


def cargo_lock(file: SourceFile) -> Iterator[Detection]:
    data = tomllib.loads(file.text)
    for package in data.get("package", []):
        if isinstance(package, dict) and isinstance(package.get("name"), str):
            yield use("cargo", file, package["name"], package.get("version"),
                      line_containing(file.text, f'name = "{package["name"]}"'), MEDIUM)


def msbuild_project(file: SourceFile) -> Iterator[Detection]:
    """*.csproj, *.fsproj, *.vbproj, Directory.Packages.props: <PackageReference Include="X" Version="1"/>."""
    for found in NUGET_REFERENCE.finditer(file.text):
        version = NUGET_VERSION_ATTRIBUTE.search(found.group(2))
        yield use("nuget", file, found.group(1), version.group(1) if version else None,
                  line_at(file.text, found.start()))


def packages_config(file: SourceFile) -> Iterator[Detection]:
    for found in PACKAGES_CONFIG.finditer(file.text):
        version = re.search(r"version\s*=\s*\"([^\"]+)\"", found.group(2))
        yield use("nuget", file, found.group(1), version.group(1) if version else None,
                  line_at(file.text, found.start()))


def gemfile(file: SourceFile) -> Iterator[Detection]:
    for found in GEM.finditer(file.text):
        yield use("rubygems", file, found.group(1), found.group(2), line_at(file.text, found.start()))


def gemfile_lock(file: SourceFile) -> Iterator[Detection]:
    for found in GEMFILE_LOCK_SPEC.finditer(file.text):
        yield use("rubygems", file, found.group(1), found.group(2), line_at(file.text, found.start()), MEDIUM)
