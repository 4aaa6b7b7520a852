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

API-key keywords are short and found inside ordinary words (``up_`` in ``setup_``, ``as-`` in ``has-``), so an
API-key rule whose regex starts with a literal is kept only where that literal occurs as the regex can match
it: with its case, and after a non-word byte when the regex opens with a word boundary. The check is looser
than the regex (any non-ASCII byte counts as a boundary), so it never passes over a key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import ahocorasick_rs

if TYPE_CHECKING:
    from scanner.matching.matcher import Matcher
    from scanner.matching.secret_rules import SecretRule

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


# The kinds of detector a literal can feed: each detector's observations are matched against one index of
# the catalogue, and only a literal of that index can make it report anything.
SECRET_KIND, IMPORT_KIND, ENV_KIND, HOST_KIND, CONTAINER_KIND, IAC_KIND = (
    "secret", "import", "env-var", "host", "container", "iac")
CODE_KINDS = frozenset({IMPORT_KIND, ENV_KIND, HOST_KIND, CONTAINER_KIND, IAC_KIND})
KIND_OF_INDEX = {"imports": IMPORT_KIND, "iac": IAC_KIND, "env_vars": ENV_KIND, "containers": CONTAINER_KIND}


def catalogue_literals(matcher: "Matcher") -> dict[str, set[str]]:
    """literal -> the kinds of detector it can feed (API-key keywords: "secret")."""
    literals: dict[str, set[str]] = {}

    def add(literal: str, kind: str) -> None:
        if literal:
            literals.setdefault(literal.lower(), set()).add(kind)

    for index, kind in KIND_OF_INDEX.items():
        for key in matcher.exact.get(index, {}):
            for literal in key_literals(index, key):
                add(literal, kind)
    for service in matcher.catalogue.services.values():
        detection = service.detection
        for domain in detection.get("domains", ()):
            add(domain, HOST_KIND)
        for rule in detection.get("url_paths", ()):
            add(rule["host"], HOST_KIND)
        for pattern in detection.get("host_patterns", ()):
            runs = [run for run in PLACEHOLDER.split(pattern.lower()) if run.strip(".-")]
            if runs:
                add(max(runs, key=len), HOST_KIND)
    for rule in matcher.secrets.rules:
        for keyword in rule.keywords:
            add(keyword, SECRET_KIND)
    return literals


WORD_BYTES = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")


@dataclass(frozen=True, slots=True)
class KeyStart:
    """Where a match of one API-key rule can start: its regex's literal prefix (case kept), after a byte that is
    not an ASCII word character when the regex opens with ``\\b`` before a word character."""

    prefix: bytes
    after_boundary: bool

    @classmethod
    def of(cls, rule: "SecretRule") -> "KeyStart | None":
        """None when the regex has no literal prefix: its keywords alone decide."""
        if not rule.prefix:
            return None
        first = rule.prefix[0]
        return cls(rule.prefix.encode(), rule.regex.pattern.startswith("\\b") and first.isascii()
                   and (first.isalnum() or first == "_"))

    def occurs_in(self, data: bytes) -> bool:
        position = data.find(self.prefix)
        while position != -1:
            if not self.after_boundary or position == 0 or data[position - 1] not in WORD_BYTES:
                return True
            position = data.find(self.prefix, position + 1)
        return False


@dataclass(frozen=True, slots=True)
class Candidates:
    """What one pass of the pre-filter found in a file: the kinds of detector worth running, and the API-key
    rules (indexes into ``matcher.secrets.rules``) whose keywords occur — the others cannot match."""

    kinds: frozenset[str]
    secret_rules: tuple[int, ...]


NO_CANDIDATES = Candidates(frozenset(), ())


class CataloguePrefilter:
    def __init__(self, matcher: "Matcher") -> None:
        table = catalogue_literals(matcher)
        self.literals = sorted(table)
        self.kinds_of = [frozenset(table[literal]) for literal in self.literals]
        rules_of: dict[str, list[int]] = {}
        for index, rule in enumerate(matcher.secrets.rules):
            for keyword in rule.keywords:
                rules_of.setdefault(keyword, []).append(index)
        self.rules_of = [tuple(rules_of.get(literal, ())) for literal in self.literals]
        self.key_starts = [KeyStart.of(rule) for rule in matcher.secrets.rules]
        # A DFA: several times faster than the default NFA over thousands of literals, at the cost of memory
        # (a few MB) and a build time paid once per scan.
        self.automaton = ahocorasick_rs.BytesAhoCorasick([literal.encode() for literal in self.literals],
                                                         implementation=ahocorasick_rs.Implementation.DFA)

    def scan(self, data: bytes) -> Candidates:
        """Every catalogue literal in the file (overlapping ones too: an API-key keyword inside an import name
        still counts), reduced to the kinds of detector and the API-key rules they can feed."""
        lowered = data.lower()
        if not lowered.endswith(b"\n"):  # the forms that end a name at a line end, on the last line
            lowered += b"\n"
        matches = self.automaton.find_matches_as_indexes(lowered, overlapping=True)
        if not matches:
            return NO_CANDIDATES
        kinds: set[str] = set()
        rules: set[int] = set()
        for index in {index for index, _, _ in matches}:
            kinds |= self.kinds_of[index]
            rules.update(self.rules_of[index])
        if rules:  # a keyword inside a word (``up_`` of ``setup_``) is no reason to run the rule
            rules = {rule for rule in rules if self.key_starts[rule] is None or self.key_starts[rule].occurs_in(data)}
            if not rules:
                kinds.discard(SECRET_KIND)
        return Candidates(frozenset(kinds), tuple(sorted(rules)))

    def kinds(self, data: bytes) -> set[str]:
        """Which kinds of detector could report anything in this file (SECRET_KIND, HOST_KIND…); empty: none."""
        return set(self.scan(data).kinds)

    def may_match(self, data: bytes) -> bool:
        return bool(self.scan(data).kinds)
