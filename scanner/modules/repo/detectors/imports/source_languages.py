"""Imports in JavaScript/TypeScript, Go, Java/Kotlin and C#, read with regular expressions over the source.

- JavaScript and TypeScript: ``import … from "m"``, ``import "m"``, ``export … from "m"``, ``require("m")``,
  ``import("m")`` (the matcher's language key is ``javascript`` for both).
- Go: ``import "m"`` and ``import ( … )`` blocks, with or without an alias.
- Java and Kotlin: ``import a.b.C;`` and ``import static a.b.C.m;`` (Kotlin without the semicolon).
- C#: ``using A.B;``, ``using static A.B;``, ``using X = A.B;``, ``global using A.B;`` (not ``using (…)``).
A match on a line that is a comment is skipped. ``accept(language, module)``, when given, is a pre-filter
(the catalogue's import index): a module it refuses is not reported at all, which keeps the scan fast.
"""

from __future__ import annotations

import re
from typing import Callable, Iterator

from scanner.modules.repo.detectors.base import HIGH, SLASH_COMMENTS, Detection, SourceFile, in_comment
from scanner.observations import CodeReference

JS_SPECIFIER = re.compile(
    r"""(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)(["'])([^"'\s\\]{1,200})\1""")
GO_SINGLE = re.compile(r"^\s*import\s+(?:[\w.]+\s+)?\"([^\"]+)\"", re.M)
GO_BLOCK = re.compile(r"^\s*import\s*\((.*?)\)", re.M | re.S)
GO_BLOCK_ENTRY = re.compile(r"^\s*(?:[\w.]+\s+)?\"([^\"]+)\"", re.M)
JAVA_IMPORT = re.compile(r"^\s*import\s+(?:static\s+)?([A-Za-z_][\w.]*\w)(?:\.\*)?\s*;?", re.M)
CSHARP_USING = re.compile(r"^\s*(?:global\s+)?using\s+(?:static\s+)?(?:\w+\s*=\s*)?([A-Za-z_][\w.]*\w)\s*;", re.M)


def line_and_column(text: str, offset: int) -> tuple[int, str, int]:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return text.count("\n", 0, offset) + 1, text[start:end if end != -1 else len(text)], offset - start


Accept = Callable[[str, str], bool] | None


def references(file: SourceFile, language: str, pattern: re.Pattern[str], group: int, accept: Accept,
               comments: tuple[str, ...] = SLASH_COMMENTS, text: str | None = None, base: int = 0
               ) -> Iterator[Detection]:
    seen: set[str] = set()
    refused: set[str] = set()
    for found in pattern.finditer(file.text if text is None else text):
        module = found.group(group)
        if module in seen or module in refused:
            continue
        if accept is not None and not accept(language, module):
            refused.add(module)
            continue
        line, line_text, column = line_and_column(file.text, base + found.start(group))
        if in_comment(line_text, column, comments):
            continue
        seen.add(module)
        yield Detection(CodeReference("import", module, file.repo, file.path, line, language=language), HIGH)


def javascript(file: SourceFile, accept: Accept = None) -> Iterator[Detection]:
    if "from" not in file.text and "require" not in file.text and "import" not in file.text:
        return
    yield from references(file, "javascript", JS_SPECIFIER, 2, accept)


def go(file: SourceFile, accept: Accept = None) -> Iterator[Detection]:
    if "import" not in file.text:
        return
    yield from references(file, "go", GO_SINGLE, 1, accept, ("//",))
    for block in GO_BLOCK.finditer(file.text):
        yield from references(file, "go", GO_BLOCK_ENTRY, 1, accept, ("//",), block.group(1), block.start(1))


def java(file: SourceFile, accept: Accept = None) -> Iterator[Detection]:
    if "import" not in file.text:
        return
    yield from references(file, "java", JAVA_IMPORT, 1, accept)


def csharp(file: SourceFile, accept: Accept = None) -> Iterator[Detection]:
    if "using" not in file.text:
        return
    yield from references(file, "csharp", CSHARP_USING, 1, accept)
