"""Fixtures for the repository module: detectors built once on the real catalogue, and a helper that runs
the detectors a file would get (after the catalogue pre-filter, as a scan does) and returns what the matcher
attributes."""

from __future__ import annotations

import pytest

from scanner.modules.repo.detectors.agent_configs import agent_configs
from scanner.modules.repo.detectors.base import SourceFile
from scanner.modules.repo.detectors.dispatch import Detectors
from scanner.modules.repo.evidence import finding_for


@pytest.fixture(scope="session")
def detectors(catalogue):
    return Detectors(catalogue.matcher)


@pytest.fixture(scope="session")
def detect(catalogue, detectors):
    """detect(path, text) -> sorted [(service_id, line)] the file yields, as a scan would store them."""
    def run(path: str, text: str, *, evidence: bool = False):
        name = path.rsplit("/", 1)[-1]
        source = SourceFile("repo", path, name, text)
        plan = detectors.for_file(path, name)
        detections = list(agent_configs("repo", path))
        kinds = detectors.prefilter.kinds(text.encode())  # as a scan does, so that every test also checks that
        for detector in detectors.narrow(plan, kinds):     # the pre-filter never hides a finding
            detections += list(detector(source))
        found = [finding_for(d, catalogue.matcher, ()) for d in detections]
        found = [f for f in found if f is not None]
        if evidence:
            return found
        return sorted({(f.service_id, f.evidence.get("line")) for f in found}, key=str)
    return run
