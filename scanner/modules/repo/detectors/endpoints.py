"""Endpoints in code and configuration: absolute URLs anywhere outside comments, and host names that make up
a whole quoted string (``"api.anthropic.com"``) or a whole configuration value (``host: api.mistral.ai``).

The value kept is scheme, host and path: user info and query strings are dropped here, because they are
where tokens hide. The matcher decides which hosts are AI services (match_url); ``accept``, when given, is
that same index used as a pre-filter, so that the many ordinary URLs and dotted names of a code base are
dropped before any further work.
"""

from __future__ import annotations

import re
from typing import Callable, Iterator

from scanner.modules.repo.detectors.base import HIGH, MEDIUM, Detection, SourceFile, in_comment
from scanner.observations import CodeReference

URL = re.compile(r"\b((?:https?|wss?)://[^\s\"'`<>()\[\]{}\\,;|^]{3,300})")
LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
HOST = rf"{LABEL}(?:\.{LABEL})*\.[A-Za-z]{{2,24}}"
QUOTED_HOST = re.compile(rf"([\"'`])({HOST}(?::\d{{1,5}})?(?:/[^\s\"'`]*)?)\1")
CONFIG_HOST = re.compile(rf"(?:^|[\s:=])({HOST}(?::\d{{1,5}})?)(?:/[^\s\"'`#]*)?[ \t]*(?:#.*)?$", re.M)


def clean_url(url: str) -> str:
    url = url.rstrip(".:")
    for separator in "?#":
        url = url.split(separator, 1)[0]
    scheme, _, rest = url.partition("://")
    authority, slash, path = rest.partition("/")
    authority = authority.rsplit("@", 1)[-1]  # user:password@ never leaves the detector
    return f"{scheme}://{authority}{slash}{path}"


def endpoint_references(file: SourceFile, comments: tuple[str, ...], *, config: bool = False,
                        text: str | None = None, line_map: list[int | None] | None = None,
                        accept: Callable[[str], bool] | None = None) -> Iterator[Detection]:
    text = file.text if text is None else text
    seen: set[tuple[str, int | None]] = set()

    def located(offset: int) -> tuple[int | None, str, int]:
        line_start = text.rfind("\n", 0, offset) + 1
        line_end = text.find("\n", offset)
        number: int | None = text.count("\n", 0, offset) + 1
        if line_map is not None:
            number = line_map[number - 1] if number - 1 < len(line_map) else None
        return number, text[line_start:line_end if line_end != -1 else len(text)], offset - line_start

    def emit(value: str, offset: int, confidence: str) -> Iterator[Detection]:
        if accept is not None and not accept(value):
            return
        number, line, column = located(offset)
        if in_comment(line, column, comments) or (value, number) in seen:
            return
        seen.add((value, number))
        yield Detection(CodeReference("endpoint", value[:300], file.repo, file.path, number), confidence)

    if "://" in text:
        for found in URL.finditer(text):
            yield from emit(clean_url(found.group(1)), found.start(1), HIGH)
    if "." not in text:
        return
    for found in QUOTED_HOST.finditer(text):
        yield from emit(found.group(2).split("?", 1)[0], found.start(2), MEDIUM)
    if config:
        for found in CONFIG_HOST.finditer(text):
            yield from emit(found.group(1), found.start(1), MEDIUM)
