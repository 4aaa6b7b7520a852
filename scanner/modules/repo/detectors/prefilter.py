"""Which files can hold catalogue evidence at all: one Aho-Corasick pass over a file's lower-cased bytes.

A content detector only ever reports what the matcher then attributes, and every matcher key leaves a literal
in the text it was read from: a package or import name keeps its parts whatever its separators and case
(``openai_agents`` / ``OpenAI-Agents``), a host keeps the catalogue domain it ends with (or the longest
literal run of a host pattern), and env var names, image names, IaC types and API-key keywords are literal.
A file without any of these literals cannot yield a content finding, so its detectors are skipped: that is
most files of a code base, and the reason a scan costs little more than reading the tree.

The literal chosen for a key is the most specific one every spelling of it contains: the whole name for
imports other than Python's (case folded), and for a Python module its parent path (``from google import
genai`` spells ``google`` but never ``google.genai``). Short names are searched with the punctuation an
import statement puts around them (``" fal."``, ``'ai/``), so that ``false`` does not pass for ``fal``.
Package names are not needed: manifests, lock files, and the files where packages are installed by
commands (Dockerfiles, scripts, workflows, notebooks) are always read whole.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import ahocorasick_rs

if TYPE_CHECKING:
    from scanner.matching.matcher import Matcher

PLACEHOLDER = re.compile(r"<[^>]*>")
QUOTES = ('"', "'", "`")


def quoted_forms(name: str) -> list[str]:
    return [f"{quote}{name}{end}" for quote in QUOTES for end in (quote, "/")]


def python_forms(name: str) -> list[str]:
    """How an import statement can spell a short module path: after a space, tab or comma; before the end
    of the name (a dot, space, comma, semicolon, comment or line end), or quoted for importlib."""
    return [f"{before}{name}{after}" for before in " \t," for after in ". ,;#\r\n\t"] + quoted_forms(name)


def key_literals(kind: str, key: str) -> list[str]:
    if kind == "imports":
        language, _, name = key.partition(":")
        if language == "python":
            parent = name.rsplit(".", 1)[0]
            return python_forms(parent) if len(parent) <= 4 else [parent]
        return quoted_forms(name) if len(name) < 3 else [name]
    if kind == "iac":
        return [key.partition(":")[2]]
    return quoted_forms(key) if len(key) < 3 else [key]  # env_vars, containers


SECRET_KIND, CODE_KIND = "secret", "code"


def catalogue_literals(matcher: "Matcher") -> dict[str, set[str]]:
    """literal -> the kinds of detector it can feed: API-key keywords ("secret"), everything else ("code")."""
    code: set[str] = set()
    for kind in ("imports", "iac", "env_vars", "containers"):
        for key in matcher.exact.get(kind, {}):
            code.update(literal.lower() for literal in key_literals(kind, key))
    for service in matcher.catalogue.services.values():
        detection = service.detection
        code.update(domain.lower() for domain in detection.get("domains", ()))
        code.update(rule["host"].lower() for rule in detection.get("url_paths", ()))
        for pattern in detection.get("host_patterns", ()):
            runs = [run for run in PLACEHOLDER.split(pattern.lower()) if run.strip(".-")]
            if runs:
                code.add(max(runs, key=len))
    literals: dict[str, set[str]] = {literal: {CODE_KIND} for literal in code if literal}
    for rule in matcher.secrets.rules:
        for keyword in rule.keywords:
            literals.setdefault(keyword, set()).add(SECRET_KIND)
    return literals


class CataloguePrefilter:
    def __init__(self, matcher: "Matcher") -> None:
        table = catalogue_literals(matcher)
        self.literals = sorted(table)
        self.kinds_of = [frozenset(table[literal]) for literal in self.literals]
        self.automaton = ahocorasick_rs.BytesAhoCorasick([literal.encode() for literal in self.literals])

    def kinds(self, data: bytes) -> set[str]:
        """Which kinds of detector could report anything in this file ("secret", "code"); empty: none."""
        found: set[str] = set()
        for index, _, _ in self.automaton.find_matches_as_indexes(data.lower() + b"\n", overlapping=True):
            found |= self.kinds_of[index]
            if len(found) == 2:
                break
        return found

    def may_match(self, data: bytes) -> bool:
        return bool(self.kinds(data))
