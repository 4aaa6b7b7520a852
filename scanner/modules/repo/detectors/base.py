"""What every detector shares: the file it reads, what it yields, and line arithmetic."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Iterator

HIGH, MEDIUM, LOW = "high", "medium", "low"


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One decoded text file of a repository. ``repo`` is the subject, ``path`` relative to the root."""

    repo: str
    path: str
    name: str
    text: str


@dataclass(frozen=True, slots=True)
class Detection:
    observation: Any  # one of scanner.observations
    confidence: str  # high | medium | low


Detector = Callable[[SourceFile], Iterator[Detection]]


def line_containing(text: str, needle: str, start_line: int = 1) -> int | None:
    """The first line (1-based) at or after ``start_line`` that contains ``needle``."""
    offset = 0
    for _ in range(start_line - 1):
        offset = text.find("\n", offset) + 1
        if offset == 0:
            return None
    found = text.find(needle, offset)
    if found == -1:
        return None
    return text.count("\n", 0, found) + 1


def quoted_line(text: str, name: str) -> int | None:
    """The line where ``name`` first appears as a quoted or bare key (``"openai"``, ``openai =``, ``openai:``)."""
    for needle in (f'"{name}"', f"'{name}'"):
        line = line_containing(text, needle)
        if line:
            return line
    found = re.search(rf"(?m)^[ \t]*{re.escape(name)}[ \t]*[=:]", text)
    return text.count("\n", 0, found.start()) + 1 if found else line_containing(text, name)


# Comment markers per family of syntax: a candidate after one of them, outside quotes, is in a comment.
HASH_COMMENTS = ("#",)
SLASH_COMMENTS = ("//", "/*")
DASH_COMMENTS = ("--",)


def in_comment(line: str, column: int, markers: tuple[str, ...]) -> bool:
    """Whether ``column`` of ``line`` lies in a comment: after a marker that is outside any quoted string,
    or on a line that continues a block comment (starts with ``*``)."""
    if not markers:
        return False
    stripped = line.lstrip()
    if "/*" in markers and stripped.startswith("*") and not stripped.startswith("*/"):
        return True
    prefix = line[:column]
    if not any(marker in prefix for marker in markers):
        return False
    quote = None
    index = 0
    while index < column:
        char = line[index]
        if quote:
            if char == "\\":
                index += 2
                continue
            if char == quote:
                quote = None
        elif char in "\"'`":
            quote = char
        else:
            for marker in markers:
                if line.startswith(marker, index):
                    return True
        index += 1
    return False
