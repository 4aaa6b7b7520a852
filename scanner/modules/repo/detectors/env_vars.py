"""AI environment variable names (``OPENAI_API_KEY``…) in code and configuration, as whole identifiers:
``MY_OPENAI_API_KEY_NAME`` is one identifier and is not ``OPENAI_API_KEY``. Only the name is kept, never the
value it is set to. Names in comments are skipped."""

from __future__ import annotations

import re
from typing import Iterator

from scanner.modules.repo.detectors.base import MEDIUM, Detection, SourceFile, in_comment
from scanner.observations import CodeReference

IDENTIFIER = re.compile(r"(?<![A-Za-z0-9_])([A-Z][A-Z0-9]*_[A-Z0-9_]*[A-Z0-9])(?![A-Za-z0-9_])")


class EnvVarNames:
    def __init__(self, names: set[str] | frozenset[str] | None = None) -> None:
        self.names = frozenset(names) if names is not None else None  # None: every upper-case identifier

    def __call__(self, file: SourceFile, comments: tuple[str, ...] = ()) -> Iterator[Detection]:
        seen: set[str] = set()
        text = file.text
        for found in IDENTIFIER.finditer(text):
            name = found.group(1)
            if name in seen or (self.names is not None and name not in self.names):
                continue
            line_start = text.rfind("\n", 0, found.start()) + 1
            line_end = text.find("\n", found.start())
            line = text[line_start:line_end if line_end != -1 else len(text)]
            if in_comment(line, found.start() - line_start, comments):
                continue
            seen.add(name)
            number = text.count("\n", 0, found.start()) + 1
            yield Detection(CodeReference("env-var", name, file.repo, file.path, number), MEDIUM)
