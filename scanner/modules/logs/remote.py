"""Logs in object storage (``s3://bucket/prefix/``, ``gs://…``, ``az://…``), listed and read through fsspec.

A URL argument is a prefix (every object under it, like a folder), a glob (``s3://logs/2026-*/*.gz``) or one
object. Objects are opened as seekable files (s3fs issues ranged GETs), so the reader, the cursors, the
compression detection and the byte ranges work exactly as on local files: an object's identity is the hash of
its beginning, its offset counts bytes (decompressed bytes for a compressed object).

Credentials come from each filesystem's own chain — for S3, botocore's: the environment
(``AWS_ACCESS_KEY_ID``…, ``AWS_PROFILE``), the shared config and credentials files, SSO, web identity (IRSA
on Kubernetes), the container or instance role. They are never options: a storage option that looks like one
is refused. Storage options carry the rest (``endpoint_url`` of an S3-compatible store, ``anon``,
``requester_pays``), given as ``KEY=VALUE`` where VALUE may be JSON (``true``, ``{"region_name": "eu-west-1"}``).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from scanner.modules.logs.inputs import is_url
from scanner.modules.logs.reader import OpenedLog, open_raw

GLOB = re.compile(r"[*?\[]")
SECRET_OPTION = re.compile(r"(key|secret|token|password|passwd|credential|session|sas|signature)", re.IGNORECASE)
PROBE_BLOCK = 256 << 10  # enough for the head of a log (reader.HEAD_BYTES), also compressed
READ_BLOCK = 8 << 20  # sequential reads of a range or a compressed object
MISSING_FILESYSTEM = "reading {scheme}:// needs its fsspec filesystem (for s3://: pip install 'shadowai[dask]')"


class StorageOptionError(ValueError):
    """A storage option that cannot be used (malformed, or a credential)."""


def parse_storage_options(items: list[str] | tuple[str, ...]) -> dict[str, Any]:
    options: dict[str, Any] = {}
    for item in items:
        key, separator, value = item.partition("=")
        key = key.strip()
        if not separator or not key:
            raise StorageOptionError(f"'{item}' is not KEY=VALUE (e.g. endpoint_url=https://minio.example:9000)")
        try:
            options[key] = json.loads(value)
        except ValueError:
            options[key] = value
        for name in option_names(key, options[key]):
            if SECRET_OPTION.search(name):
                raise StorageOptionError(f"'{name}' looks like a credential: credentials come from the provider's "
                                         "chain (AWS_PROFILE, the environment, an instance or pod role), never "
                                         "options")
    return options


def option_names(key: str, value: Any) -> list[str]:
    """The option's name and, for a JSON object value (client_kwargs={…}), every key inside it."""
    names = [key]
    if isinstance(value, dict):
        for inner, nested in value.items():
            names += option_names(str(inner), nested)
    return names


@dataclass(frozen=True)
class ObjectStore:
    """Storage options for every URL input (no credentials: see above). Picklable, so cluster tasks carry it."""

    options_json: str = "{}"

    @classmethod
    def from_options(cls, options: dict[str, Any]) -> "ObjectStore":
        return cls(json.dumps(options, sort_keys=True))

    @property
    def options(self) -> dict[str, Any]:
        return json.loads(self.options_json)

    def filesystem(self, url: str):
        """(fsspec filesystem, path inside it). fsspec keeps one filesystem per protocol and options per
        process, so its connections are reused by every file a process reads."""
        try:
            from fsspec.core import url_to_fs
        except ImportError as exc:
            raise OSError(MISSING_FILESYSTEM.format(scheme=url.split("://", 1)[0])) from exc
        try:
            return url_to_fs(url, **self.options)
        except (ImportError, ValueError) as exc:  # no filesystem for the protocol, or it is not installed
            raise OSError(MISSING_FILESYSTEM.format(scheme=url.split("://", 1)[0])) from exc

    def expand(self, url: str) -> list[str]:
        """The objects a URL names, in a stable order: a glob's matches, everything under a prefix, or the
        object itself. Hidden names (a leading '.') under a prefix are skipped, as in a local folder."""
        with storage_errors():
            return self._expand(url)

    def _expand(self, url: str) -> list[str]:
        fs, path = self.filesystem(url)
        if GLOB.search(path):
            found = fs.glob(path, detail=True)
            names = [name for name, info in found.items() if info.get("type") == "file"]
        elif fs.isdir(path):
            names = [name for name in fs.find(path) if not any(part.startswith(".")
                                                              for part in name[len(path):].split("/"))]
        elif fs.isfile(path):
            names = [path]
        else:
            names = []
        return [fs.unstrip_protocol(name) for name in sorted(names)]

    def open(self, url: str, *, block_size: int = READ_BLOCK) -> OpenedLog:
        with storage_errors():
            fs, path = self.filesystem(url)
            info = fs.info(path)
            raw = fs.open(path, "rb", block_size=block_size, cache_type="readahead")
            return open_raw(url, raw, int(info.get("size") or 0), modified_time(info))

    def open_plain(self, url: str, *, block_size: int = READ_BLOCK):
        """The raw bytes of an object (for byte ranges of an uncompressed log)."""
        with storage_errors():
            fs, path = self.filesystem(url)
            return fs.open(path, "rb", block_size=block_size, cache_type="readahead")


@contextlib.contextmanager
def storage_errors():
    """A storage SDK's own exceptions (botocore's NoCredentialsError, a client error fsspec did not translate)
    become OSError, which the scan records as a coverage gap of the input, as it does for a local file."""
    try:
        yield
    except OSError:
        raise
    except Exception as exc:  # noqa: BLE001 — any SDK's exception type
        raise OSError(f"{type(exc).__name__}: {str(exc)[:300]}") from exc


def modified_time(info: dict[str, Any]) -> float:
    """An object's modification time (seconds since the epoch) from a filesystem's info(), whatever it calls it."""
    for key in ("mtime", "LastModified", "last_modified", "updated", "modified", "created"):
        value = info.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        if isinstance(value, datetime):
            return value.timestamp()
        if isinstance(value, str):
            try:
                return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
            except ValueError:
                continue
    return 0.0


def open_input(path: str, store: ObjectStore, *, block_size: int = READ_BLOCK) -> OpenedLog:
    """A local file or stdin through the reader, a URL through its filesystem."""
    from scanner.modules.logs.reader import open_log

    return store.open(path, block_size=block_size) if is_url(path) else open_log(path)


def open_bytes(path: str, store: ObjectStore, *, block_size: int = READ_BLOCK):
    return store.open_plain(path, block_size=block_size) if is_url(path) else open(path, "rb")  # noqa: SIM115


def input_name(path: str) -> str:
    """How the run's inputs name a file: a URL as it is, a local path absolute."""
    return path if is_url(path) else os.path.abspath(path)


def describe_os_error(exc: OSError) -> str:
    """strerror for a local file ("No such file or directory"); fsspec's errors carry a path or a message."""
    if exc.strerror:
        return exc.strerror
    if isinstance(exc, FileNotFoundError):
        return "no such object"
    if isinstance(exc, PermissionError):
        return "access denied"
    return str(exc) or type(exc).__name__


def expand_urls(files: list[str], store: ObjectStore) -> tuple[list[str], list[tuple[str, str]]]:
    """Replace each URL in ``files`` (from inputs.expand) with the objects it names, in place and order.
    Returns (files, [(url, why it gave nothing)])."""
    expanded: list[str] = []
    problems: list[tuple[str, str]] = []
    for item in files:
        if not is_url(item):
            expanded.append(item)
            continue
        try:
            found = store.expand(item)
        except OSError as exc:
            problems.append((item, f"cannot list: {describe_os_error(exc)}"))
            continue
        if not found:
            problems.append((item, "no such object, prefix or glob match"))
        expanded += found
    return list(dict.fromkeys(expanded)), problems


def object_log_present(location: str, identity: str, store: ObjectStore | None = None) -> bool:
    """For `shadowai prune`: whether an object of this log (``location``: its URL without rotation suffixes)
    still has the cursor's identity. When the store cannot be listed or read here (no credentials, storage
    options given only to the scan), the answer is yes: a cursor dropped too early would make the next scan
    count the object again."""
    from scanner.modules.logs.inputs import log_location

    store = store or ObjectStore()
    try:
        with storage_errors():
            fs, path = store.filesystem(location.rsplit("/", 1)[0])
            names = [fs.unstrip_protocol(name) for name in fs.ls(path, detail=False)]  # this level only
    except OSError:
        return True
    for name in names:
        if log_location(name) != location:
            continue
        try:
            log = store.open(name, block_size=PROBE_BLOCK)
        except OSError:
            return True
        try:
            if log.identity == identity:
                return True
        finally:
            log.close()
    return False
