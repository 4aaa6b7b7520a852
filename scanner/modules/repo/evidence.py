"""From a detection to a stored finding: the matcher's verdict plus what an auditor needs to weigh it.

Every repository finding's evidence says what kind of evidence it is, how sure the detector was
(high | medium | low), the line, and the tags of the file's path (test, example, docs, vendor). Findings are
consolidated per (service, repository, file): hits add up, and the sample kept is the most confident one.
An evidence value that holds something shaped like an API key (a key in a URL path, or typed as a version)
is cut down to a URL's host, or replaced: the key is only ever stored as a SecretFound fingerprint.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from scanner import observations as obs
from scanner.findings import Finding, match_observation
from scanner.modules.repo.detectors.base import Detection

if TYPE_CHECKING:
    from scanner.matching.matcher import Matcher

RANK = {"high": 3, "medium": 2, "low": 1}
KINDS = {obs.PackageUse: "package", obs.SecretFound: "secret", obs.ModelFile: "model-file",
         obs.AgentConfig: "agent-config"}


def finding_for(detection: Detection, matcher: "Matcher", tags: tuple[str, ...]) -> Finding | None:
    observation = detection.observation
    found = match_observation(observation, matcher)
    if found is None:
        return None
    evidence = dict(found.evidence)
    evidence.setdefault("kind", KINDS.get(type(observation), "code"))
    if isinstance(observation, obs.CodeReference) and observation.language:
        evidence["language"] = observation.language
    for name, value in evidence.items():
        if name != "fingerprint" and isinstance(value, str) and matcher.find_secrets(value):
            evidence[name] = redacted(value)
    evidence["confidence"] = detection.confidence
    if tags:
        evidence["tags"] = ",".join(tags)
    return dataclasses.replace(found, evidence=evidence)


def redacted(value: str) -> str:
    """What is left of an evidence value that holds something shaped like an API key: a URL's scheme and host."""
    scheme, separator, rest = value.partition("://")
    if separator and rest:
        return f"{scheme}://{rest.split('/', 1)[0].rsplit('@', 1)[-1]}"
    return "(redacted: holds an API key)"


class Consolidated:
    """Findings of one repository, one per key, before they are written."""

    def __init__(self) -> None:
        self.items: dict[tuple[str, str, str, str], Finding] = {}

    def add(self, finding: Finding) -> None:
        current = self.items.get(finding.key)
        if current is None:
            self.items[finding.key] = finding
            return
        better = RANK.get(finding.evidence.get("confidence"), 0) > RANK.get(current.evidence.get("confidence"), 0)
        sample = finding if better else current
        self.items[finding.key] = dataclasses.replace(sample, hits=current.hits + finding.hits)

    def __len__(self) -> int:
        return len(self.items)

    def findings(self) -> list[Finding]:
        return list(self.items.values())
