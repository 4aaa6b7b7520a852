"""Where each key of a TOML document is written: tomllib returns values without positions, so the lines are
found again in the text.

Only what a configuration needs is tracked: table headers (``[a.b]``, ``[[a]]``), keys (bare, quoted and
dotted), and enough of the values (strings, multi-line strings, arrays and inline tables spanning lines) to know
where the next key starts. A key inside an inline table is reported at the line of the table's key.
"""

from __future__ import annotations

KeyPath = tuple[str | int, ...]


def split_key(text: str) -> tuple[str, ...]:
    """``a."b.c".d`` -> ("a", "b.c", "d")."""
    parts: list[str] = []
    current, quote, escaped = "", None, False
    for char in text.strip():
        if quote:
            if escaped:
                current, escaped = current + char, False
            elif char == "\\" and quote == '"':
                escaped = True
            elif char == quote:
                quote = None
            else:
                current += char
        elif char in "\"'":
            quote = char
        elif char == ".":
            parts.append(current.strip())
            current = ""
        else:
            current += char
    parts.append(current.strip())
    return tuple(parts)


class _ValueScanner:
    """Follows strings and brackets across lines, so that a line inside a value is not read as a key."""

    def __init__(self) -> None:
        self.depth = 0
        self.multiline: str | None = None  # '"""' or "'''" while inside a multi-line string

    @property
    def inside(self) -> bool:
        return self.depth > 0 or self.multiline is not None

    def feed(self, text: str) -> None:
        index = 0
        while index < len(text):
            if self.multiline:
                end = text.find(self.multiline, index)
                if end < 0:
                    return
                index, self.multiline = end + 3, None
                continue
            char = text[index]
            if char == "#":
                return
            if text.startswith('"""', index) or text.startswith("'''", index):
                self.multiline = text[index:index + 3]
                index += 3
                continue
            if char in "\"'":
                index = self._skip_string(text, index)
                continue
            if char in "[{":
                self.depth += 1
            elif char in "]}":
                self.depth = max(0, self.depth - 1)
            index += 1

    @staticmethod
    def _skip_string(text: str, start: int) -> int:
        quote, index = text[start], start + 1
        while index < len(text):
            if text[index] == "\\" and quote == '"':
                index += 2
                continue
            if text[index] == quote:
                return index + 1
            index += 1
        return index


def _split_assignment(line: str) -> tuple[str, str] | None:
    quote = None
    for index, char in enumerate(line):
        if quote:
            if char == quote:
                quote = None
        elif char in "\"'":
            quote = char
        elif char == "=":
            return line[:index], line[index + 1:]
    return None


def key_lines(text: str) -> dict[KeyPath, int]:
    """Every table and key path in the document, with the line (1-based) where it is first written."""
    lines: dict[KeyPath, int] = {}
    table: KeyPath = ()
    array_tables: dict[KeyPath, int] = {}
    value = _ValueScanner()
    for number, raw in enumerate(text.splitlines(), start=1):
        if value.inside:
            value.feed(raw)
            continue
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("[["):
            name = split_key(stripped[2:stripped.find("]]")])
            index = array_tables.get(name, 0)
            array_tables[name] = index + 1
            table = name + (index,)
            lines.setdefault(name, number)
            lines.setdefault(table, number)
            continue
        if stripped.startswith("["):
            table = split_key(stripped[1:stripped.find("]")])
            for end in range(1, len(table) + 1):
                lines.setdefault(table[:end], number)
            continue
        assignment = _split_assignment(stripped)
        if assignment is None:
            continue
        key = split_key(assignment[0])
        for end in range(1, len(key) + 1):
            lines.setdefault(table + key[:end], number)
        value.feed(assignment[1])
    return lines


class LineFinder:
    """``finder.line(("scopes", "eng", "networks"))`` -> the line of that key, or of its nearest written parent."""

    def __init__(self, text: str) -> None:
        self.lines = key_lines(text)

    def line(self, path: KeyPath) -> int | None:
        for end in range(len(path), 0, -1):
            found = self.lines.get(tuple(path[:end]))
            if found is not None:
                return found
        return None
