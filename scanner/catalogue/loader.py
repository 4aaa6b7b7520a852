"""Load the built-in catalogue and any user signature folders layered on top of it.

A signature folder has the layout of the built-in one: ``services/<vendor>/<id>.yaml`` and, optionally,
``vendors.yaml`` and ``categories.yaml``. Later folders extend earlier ones; a service with the same id
replaces the earlier definition (a user can correct or narrow a built-in signature).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Iterable

import yaml

from scanner.catalogue.model import Service


class CatalogueError(Exception):
    """A signature folder that cannot be read at all."""


def builtin_signatures_dir() -> Path:
    """The catalogue shipped with the package (inside the wheel) or, in a source tree, the top-level folder."""
    package_dir = Path(__file__).resolve().parent.parent
    inside_wheel = package_dir / "_signatures"
    if inside_wheel.is_dir():
        return inside_wheel
    return package_dir.parent / "signatures"


@dataclass
class LoadProblem:
    file: Path
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.field or '-'}: {self.message}"


@dataclass
class Catalogue:
    dirs: tuple[Path, ...]
    services: dict[str, Service]
    vendors: dict[str, dict[str, Any]]
    categories: dict[str, dict[str, Any]]
    shared_platforms: tuple[str, ...]
    version: str
    problems: list[LoadProblem] = field(default_factory=list)

    def service(self, service_id: str) -> Service | None:
        return self.services.get(service_id)

    def vendor_name(self, vendor_id: str) -> str:
        return (self.vendors.get(vendor_id) or {}).get("name", vendor_id)

    def category_name(self, category_id: str) -> str:
        return (self.categories.get(category_id) or {}).get("name", category_id)

    @cached_property
    def matcher(self):
        from scanner.matching.matcher import Matcher

        return Matcher(self)


SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: ~10x faster


_parsed: dict[Path, tuple[bytes, Any]] = {}


def read_yaml(path: Path) -> Any:
    """Parse a YAML file; a file whose bytes did not change since the last call in this process is not parsed
    again. The result is shared: treat it as read-only."""
    data = path.read_bytes()
    digest = hashlib.sha1(data).digest()
    cached = _parsed.get(path)
    if cached is not None and cached[0] == digest:
        return cached[1]
    value = yaml.load(data.decode("utf-8"), Loader=SafeLoader)  # noqa: S506 — a safe loader
    _parsed[path] = (digest, value)
    return value


def content_digest(path: Path) -> bytes | None:
    cached = _parsed.get(path)
    return cached[0] if cached else None


def service_files(directory: Path) -> list[Path]:
    root = directory / "services"
    if not root.is_dir():
        return []
    return sorted(p for p in root.glob("*/*.yaml") if p.is_file())


def content_hash(dirs: Iterable[Path]) -> str:
    """The catalogue version: SHA-256 over every data file's relative path and bytes, in a fixed order."""
    digest = hashlib.sha256()
    for index, directory in enumerate(dirs):
        for path in sorted(p for p in directory.rglob("*") if p.is_file() and p.suffix in {".yaml", ".json"}):
            digest.update(f"{index}:{path.relative_to(directory).as_posix()}\0".encode())
            digest.update(path.read_bytes())
            digest.update(b"\0")
    return "sha256:" + digest.hexdigest()[:16]


def cache_file(version: str) -> Path:
    root = os.environ.get("SHADOWAI_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "shadowai")
    return Path(root) / f"catalogue-{version.replace(':', '-')}.json"


def read_cache(version: str) -> dict[str, Any]:
    """Parsed signature files of this exact catalogue version (content hash), saved by an earlier load: parsing
    hundreds of YAML files is most of a command's start-up. JSON, so a tampered cache cannot run code; a
    missing or unreadable cache is simply rebuilt."""
    try:
        with cache_file(version).open(encoding="utf-8") as handle:
            data = json.load(handle)
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def write_cache(version: str, parsed: dict[str, Any]) -> None:
    path = cache_file(version)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(parsed), encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        pass  # a read-only home: the next load parses again


def load_catalogue(extra_dirs: Iterable[str | Path] = (), *, include_builtin: bool = True) -> Catalogue:
    dirs: list[Path] = [builtin_signatures_dir()] if include_builtin else []
    dirs += [Path(d).expanduser().resolve() for d in extra_dirs]
    for directory in dirs:
        if not directory.is_dir():
            raise CatalogueError(f"{directory}: signature folder not found")
    version = content_hash(dirs)
    cached = read_cache(version)
    parsed: dict[str, Any] = {}

    def read(path: Path) -> Any:
        key = str(path)
        value = cached[key] if key in cached else read_yaml(path)
        parsed[key] = value
        return value

    services: dict[str, Service] = {}
    vendors: dict[str, dict[str, Any]] = {}
    categories: dict[str, dict[str, Any]] = {}
    shared: list[str] = []
    problems: list[LoadProblem] = []

    for directory in dirs:
        for name, target in (("vendors.yaml", vendors), ("categories.yaml", categories)):
            path = directory / name
            if path.is_file():
                try:
                    data = read(path) or {}
                except yaml.YAMLError as exc:
                    problems.append(LoadProblem(path, "", f"not valid YAML: {exc}"))
                    continue
                if isinstance(data, dict):
                    target.update(data)
                else:
                    problems.append(LoadProblem(path, "", "must be a mapping"))
        platforms = directory / "shared-platforms.yaml"
        if platforms.is_file():
            shared += [str(item).lower() for item in (read(platforms) or [])]
        for path in service_files(directory):
            try:
                data = read(path)
            except yaml.YAMLError as exc:
                problems.append(LoadProblem(path, "", f"not valid YAML: {exc}"))
                continue
            if not isinstance(data, dict) or not all(
                isinstance(data.get(key), str) for key in ("id", "name", "vendor", "category")
            ):
                problems.append(LoadProblem(path, "", "not a service definition (needs id, name, vendor, category)"))
                continue
            services[data["id"]] = Service.from_dict(data, path)

    if not problems and parsed.keys() != cached.keys():
        write_cache(version, parsed)
    return Catalogue(
        dirs=tuple(dirs),
        services=dict(sorted(services.items())),
        vendors=vendors,
        categories=categories,
        shared_platforms=tuple(dict.fromkeys(shared)),
        version=version,
        problems=problems,
    )
