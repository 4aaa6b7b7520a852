"""Container images: ``FROM`` in Dockerfiles/Containerfiles, and ``image:`` in compose files, Kubernetes
manifests and Helm values (``image: {repository: ollama/ollama}``). The matcher knows the inference images
(match_container)."""

from __future__ import annotations

import re
from typing import Iterator

from scanner.modules.repo.detectors.base import HIGH, MEDIUM, Detection, SourceFile
from scanner.observations import CodeReference

FROM = re.compile(r"^\s*FROM\s+(?:--platform=\S+\s+)?([^\s]+)(?:\s+AS\s+(\S+))?", re.I | re.M)
IMAGE = re.compile(r"^[ \t-]*image:[ \t]*[\"']?([^\s\"'#{}]+)[\"']?[ \t]*(?:#.*)?$", re.M)
IMAGE_BLOCK = re.compile(r"^([ \t-]*)image:[ \t]*(?:#.*)?\n((?:\1[ \t]+.*\n?)+)", re.M)
REPOSITORY = re.compile(r"^[ \t]*repository:[ \t]*[\"']?([^\s\"'#]+)", re.M)
REGISTRY = re.compile(r"^[ \t]*registry:[ \t]*[\"']?([^\s\"'#]+)", re.M)


def reference(file: SourceFile, image: str, offset: int, confidence: str = HIGH) -> Detection:
    line = file.text.count("\n", 0, offset) + 1
    return Detection(CodeReference("container", image, file.repo, file.path, line), confidence)


def dockerfile(file: SourceFile) -> Iterator[Detection]:
    stages: set[str] = set()
    for found in FROM.finditer(file.text):
        image = found.group(1)
        if found.group(2):
            stages.add(found.group(2).lower())
        if image.lower() == "scratch" or image.lower() in stages or image.startswith("$"):
            continue
        yield reference(file, image, found.start(1))


def yaml_images(file: SourceFile) -> Iterator[Detection]:
    if "image:" not in file.text:
        return
    for found in IMAGE.finditer(file.text):
        if "$" not in found.group(1):
            yield reference(file, found.group(1), found.start(1))
    for block in IMAGE_BLOCK.finditer(file.text):
        repository = REPOSITORY.search(block.group(2))
        if repository:
            registry = REGISTRY.search(block.group(2))
            image = f"{registry.group(1)}/{repository.group(1)}" if registry else repository.group(1)
            yield reference(file, image, block.start(2) + repository.start(1), MEDIUM)
