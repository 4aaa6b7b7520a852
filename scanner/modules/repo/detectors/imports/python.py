"""Python imports, read with ``ast`` (the code is parsed, never executed): ``import a.b``, ``from a.b import c``
(module ``a.b.c``, so that ``from google import genai`` is google.genai; relative imports are the project's
own and skipped), and ``importlib.import_module("a")`` /
``__import__("a")`` with a literal name.

Parsing is the costly part of a scan, so the import lines are first picked out of the text with ``str.find``;
a file is parsed only when one of them names a top-level module the catalogue knows (``roots``). A file that
cannot be parsed (Python 2, a template) falls back to those import lines, with medium confidence.
"""

from __future__ import annotations

import ast
import re
from typing import Iterable, Iterator

from scanner.modules.repo.detectors.base import HIGH, MEDIUM, Detection, SourceFile
from scanner.observations import CodeReference

LANGUAGE = "python"
IMPORT_STATEMENT = re.compile(r"[ \t]*(?:from[ \t]+([A-Za-z_][\w.]*)[ \t]+import\b|import[ \t]+([A-Za-z_][\w. \t,]*))")
DYNAMIC_IMPORT = re.compile(r"(?:import_module|__import__)\(\s*[\"']([A-Za-z_][\w.]*)[\"']")
DYNAMIC = {"import_module", "__import__"}
BLOCKS = ("body", "orelse", "finalbody", "handlers", "cases")


def import_lines(text: str) -> Iterator[tuple[int, str]]:
    """(offset, module) of every import statement that starts a line, found with str.find."""
    find = text.find
    position = find("import")
    while position != -1:
        line_start = text.rfind("\n", 0, position) + 1
        found = IMPORT_STATEMENT.match(text, line_start)
        if found and found.end() > position:
            if found.group(1):
                yield line_start, found.group(1)
            else:
                for module in found.group(2).split(","):
                    module = module.strip().split()[0] if module.strip() else ""
                    if module:
                        yield line_start, module
        next_line = find("\n", position)
        if next_line == -1:
            return
        position = find("import", next_line)


def statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Every statement, nested ones included, without walking into expressions (where imports cannot be)."""
    stack = list(reversed(body))
    while stack:
        node = stack.pop()
        yield node
        for name in BLOCKS:
            children = getattr(node, name, None)
            if children:
                stack.extend(reversed(children))


class PythonImports:
    def __init__(self, roots: Iterable[str] | None = None) -> None:
        self.roots = frozenset(roots) if roots is not None else None

    def __call__(self, file: SourceFile) -> Iterator[Detection]:
        yield from self.detect_text(file, file.text)

    def wanted(self, module: str) -> bool:
        return self.roots is None or module.split(".", 1)[0] in self.roots

    def detect_text(self, file: SourceFile, text: str, *, line_map: list[int | None] | None = None
                    ) -> Iterator[Detection]:
        if "import" not in text:
            return
        found = [(offset, module) for offset, module in import_lines(text) if self.wanted(module)]
        dynamic = [m for m in DYNAMIC_IMPORT.finditer(text) if self.wanted(m.group(1))] \
            if ("import_module" in text or "__import__" in text) else []
        if not found and not dynamic:
            return

        def line(number: int) -> int | None:
            if line_map is None:
                return number
            return line_map[number - 1] if number - 1 < len(line_map) else None

        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            for offset, module in found:
                yield reference(file, module, line(text.count("\n", 0, offset) + 1), MEDIUM)
            return
        for node in statements(tree.body):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if self.wanted(alias.name):
                        yield reference(file, alias.name, line(node.lineno), HIGH)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and self.wanted(node.module):
                # 'from google import genai' imports google.genai: the names imported extend the module path
                seen = set()
                for alias in node.names:
                    module = node.module if alias.name == "*" else f"{node.module}.{alias.name}"
                    if module not in seen:
                        seen.add(module)
                        yield reference(file, module, line(node.lineno), HIGH)
        if dynamic:
            for node in ast.walk(tree):
                if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant) \
                        and isinstance(node.args[0].value, str) and called_name(node.func) in DYNAMIC:
                    yield reference(file, node.args[0].value, line(node.lineno), MEDIUM)


def called_name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def reference(file: SourceFile, module: str, line: int | None, confidence: str) -> Detection:
    return Detection(CodeReference("import", module, file.repo, file.path, line, language=LANGUAGE), confidence)
