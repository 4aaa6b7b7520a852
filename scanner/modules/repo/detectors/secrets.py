"""API keys, by the catalogue's vendor patterns (matcher.find_secrets). Only the fingerprint leaves this
function: the key itself is never put in an observation, an error message or a log line."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from scanner.modules.repo.detectors.base import HIGH, Detection, SourceFile
from scanner.observations import SecretFound

if TYPE_CHECKING:
    from scanner.matching.matcher import Matcher


class ApiKeys:
    def __init__(self, matcher: "Matcher") -> None:
        self.matcher = matcher

    def __call__(self, file: SourceFile, rules: tuple[int, ...] | None = None) -> Iterator[Detection]:
        """``rules``: the only rules worth trying (their keywords occur in the file), when the caller knows."""
        hits = self.matcher.find_secrets(file.text) if rules is None else self.matcher.secrets.scan(file.text, rules)
        for hit in hits:
            line = file.text.count("\n", 0, hit.offset) + 1
            yield Detection(SecretFound(hit.rule_id, hit.service_id, hit.fingerprint, file.repo, file.path, line),
                            HIGH)
