"""Packages installed by commands rather than declared in a manifest: ``pip install …`` / ``uv pip install``
/ ``poetry add`` and ``npm install …`` / ``yarn add`` / ``pnpm add`` in Dockerfiles, shell scripts, CI
workflows and notebook cells (``!pip install openai``, ``%pip install``)."""

from __future__ import annotations

import re
from typing import Iterator

from scanner.modules.repo.detectors.base import MEDIUM, Detection, SourceFile
from scanner.modules.repo.detectors.manifests.python import parse_requirement
from scanner.modules.repo.detectors.manifests.javascript import spec_name
from scanner.observations import PackageUse

PIP = re.compile(r"(?:\bpip3?|\buv\s+pip|\bpython3?\s+-m\s+pip|\bpoetry|\buv)\s+(?:install|add)\s+([^\n&|;#]+)")
NPM = re.compile(r"\b(?:npm\s+(?:install|i|add)|yarn\s+(?:global\s+)?add|pnpm\s+(?:add|install|i))\s+([^\n&|;#]+)")


def packages(file: SourceFile, text: str | None = None, line_map: list[int] | None = None) -> Iterator[Detection]:
    text = file.text if text is None else text
    if "install" not in text and " add " not in text:
        return
    joined = text.replace("\\\n", "  ")  # shell line continuations, offsets kept
    for pattern, ecosystem in ((PIP, "pypi"), (NPM, "npm")):
        for found in pattern.finditer(joined):
            number = text.count("\n", 0, found.start()) + 1
            if line_map and number - 1 < len(line_map):
                number = line_map[number - 1]
            for word in found.group(1).split():
                word = word.strip("\"'`")
                if not word or word.startswith(("-", "$", ".", "/", "<")) or "://" in word or "=" in word[:1]:
                    continue
                name = spec_name(word) if ecosystem == "npm" else (parse_requirement(word) or (None,))[0]
                if name and re.fullmatch(r"@?[A-Za-z0-9][A-Za-z0-9._/-]*", name):
                    yield Detection(PackageUse(ecosystem, name, None, file.repo, file.path, line=number), MEDIUM)
