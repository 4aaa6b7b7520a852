"""Find the few lines worth parsing: a multi-pattern search over large blocks, in compiled code.

Most of a proxy or DNS log is ordinary traffic. Instead of parsing every line in Python, each block of the
file is lower-cased and searched once for every catalogue host literal (Aho-Corasick, ``ahocorasick_rs``);
only the lines holding a hit are handed to the format's parser, and the matcher then decides exactly. A hit
is only a candidate: ``notopenai.com`` contains ``openai.com`` and is parsed, then rejected by the matcher.

Keys come from the catalogue: every domain rule, every url_paths host, and the most distinctive literal run
of every host pattern (``bedrock-runtime`` for ``bedrock-runtime.<region>.amazonaws.com``). A format whose
logs spell host names differently declares ``host_encoding`` (Windows DNS writes ``(7)chatgpt(3)com(0)``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

import ahocorasick_rs

from scanner.catalogue.loader import Catalogue

PLACEHOLDER = re.compile(r"<[a-z_]+>")
HEADER_KEY = b"\n#"


@dataclass(frozen=True)
class Literal:
    """A literal run of a host name; ``whole_first``/``whole_last``: it starts/ends on a label boundary."""

    text: str
    whole_first: bool = True
    whole_last: bool = True


MIN_DISTINCTIVE = 6  # a shorter literal ('q' of q.<region>.amazonaws.com) would make every line a candidate


def pattern_literal(pattern: str, shared: tuple[str, ...]) -> Literal:
    """The literal run of a pattern to search for: the longest one that is not a shared platform, unless
    that is too short to be selective, in which case the longest one outright."""
    pieces = [piece for piece in PLACEHOLDER.split(pattern) if piece.strip(".")]
    distinctive = [p for p in pieces if p.strip(".") not in shared and len(p.strip(".")) >= MIN_DISTINCTIVE]
    best = max(distinctive or pieces, key=lambda p: len(p.strip(".")))
    index = pattern.index(best)
    whole_first = index == 0 or best.startswith(".") or pattern[index - 1] == "."
    end = index + len(best)
    whole_last = end == len(pattern) or best.endswith(".") or pattern[end] == "."
    return Literal(best.strip("."), whole_first, whole_last)


def catalogue_literals(catalogue: Catalogue) -> list[Literal]:
    literals: dict[str, Literal] = {}
    for service in catalogue.services.values():
        detection = service.detection
        for domain in detection.get("domains", ()):
            literals.setdefault(domain.lower(), Literal(domain.lower()))
        for rule in detection.get("url_paths", ()):
            literals.setdefault(rule["host"].lower(), Literal(rule["host"].lower()))
        for pattern in detection.get("host_patterns", ()):
            literal = pattern_literal(pattern.lower(), catalogue.shared_platforms)
            literals.setdefault(literal.text, literal)
    return list(literals.values())


def encode_plain(literal: Literal) -> str:
    return literal.text


def encode_dns_labels(literal: Literal) -> str:
    """Windows DNS debug logs write each label behind its length in parentheses: (7)chatgpt(3)com(0)."""
    labels = literal.text.split(".")
    encoded = []
    for position, label in enumerate(labels):
        whole = (position > 0 or literal.whole_first) and (position < len(labels) - 1 or literal.whole_last)
        encoded.append(f"({len(label)}){label}" if whole or position > 0 else label)
    return "".join(encoded)


ENCODINGS = {"plain": encode_plain, "dns-labels": encode_dns_labels}


class LinePrefilter:
    """Yields the candidate lines of a block: (start, end) byte offsets, without the newline."""

    def __init__(self, literals: list[Literal], encoding: str = "plain", *, with_headers: bool = False) -> None:
        encode = ENCODINGS[encoding]
        keys = sorted({encode(literal).encode("ascii") for literal in literals if literal.text})
        if with_headers:
            keys.append(HEADER_KEY)
        self.with_headers = with_headers
        self.automaton = ahocorasick_rs.BytesAhoCorasick(keys) if keys else None

    def candidates(self, block: bytes) -> Iterator[tuple[int, int]]:
        if self.with_headers and block.startswith(b"#"):
            end = block.find(b"\n")
            yield 0, len(block) if end == -1 else end
            after = len(block) if end == -1 else end
        else:
            after = -1
        if self.automaton is None:
            return
        lowered = block.lower()
        for _, start, _ in self.automaton.find_matches_as_indexes(lowered, overlapping=False):
            if start < after:
                continue  # another hit on a line already yielded
            if lowered[start:start + 2] == HEADER_KEY:
                start += 1  # the header line begins after its newline
            line_start = block.rfind(b"\n", 0, start) + 1
            line_end = block.find(b"\n", start)
            if line_end == -1:
                line_end = len(block)
            if line_start < after:
                continue
            yield line_start, line_end
            after = line_end
