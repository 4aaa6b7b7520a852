"""Maven and Gradle dependencies: pom.xml, build.gradle / build.gradle.kts and the version catalogue
gradle/libs.versions.toml. A Maven package is named ``groupId:artifactId``.

pom.xml is read with regular expressions over <dependency> blocks rather than an XML parser: line numbers
come for free, a pom with a stray entity still yields what it declares, and nothing is ever resolved.
"""

from __future__ import annotations

import re
import tomllib
from typing import Iterator

from scanner.modules.repo.detectors.base import HIGH, Detection, SourceFile, line_containing
from scanner.observations import PackageUse

ECOSYSTEM = "maven"
DEPENDENCY = re.compile(r"<dependency>(.*?)</dependency>", re.S)
COMMENT = re.compile(r"<!--.*?-->", re.S)
TAG = {tag: re.compile(rf"<{tag}>\s*([^<\s]+)\s*</{tag}>") for tag in ("groupId", "artifactId", "version")}
GRADLE_CONFIGURATIONS = (r"(?:implementation|api|compile|compileOnly|runtimeOnly|testImplementation|"
                         r"testCompileOnly|testRuntimeOnly|annotationProcessor|kapt|ksp|classpath|"
                         r"developmentOnly|[a-z]+Implementation|[a-z]+Api)")
GRADLE_STRING = re.compile(GRADLE_CONFIGURATIONS + r"\s*\(?\s*(?:platform\s*\(\s*)?[\"']([^\"':\s]+):([^\"':\s]+)(?::([^\"'\s]+))?[\"']")
GRADLE_MAP = re.compile(GRADLE_CONFIGURATIONS + r"\s*\(?\s*group\s*[:=]\s*[\"']([^\"']+)[\"']\s*,\s*name\s*[:=]\s*[\"']([^\"']+)[\"']"
                        r"(?:\s*,\s*version\s*[:=]\s*[\"']([^\"']+)[\"'])?")


def use(file: SourceFile, group: str, artifact: str, version: str | None, line: int | None) -> Detection:
    if version and "${" in version:
        version = None
    return Detection(PackageUse(ECOSYSTEM, f"{group}:{artifact}", version or None, file.repo, file.path, line=line),
                     HIGH)


def pom_xml(file: SourceFile) -> Iterator[Detection]:
    text = COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), file.text)  # keep line numbers
    for block in DEPENDENCY.finditer(text):
        fields = {tag: pattern.search(block.group(1)) for tag, pattern in TAG.items()}
        if fields["groupId"] and fields["artifactId"]:
            line = text.count("\n", 0, block.start(1) + fields["artifactId"].start()) + 1
            version = fields["version"].group(1) if fields["version"] else None
            yield use(file, fields["groupId"].group(1), fields["artifactId"].group(1), version, line)


def build_gradle(file: SourceFile) -> Iterator[Detection]:
    for pattern in (GRADLE_STRING, GRADLE_MAP):
        for found in pattern.finditer(file.text):
            line_start = file.text.rfind("\n", 0, found.start()) + 1
            if file.text[line_start:found.start()].lstrip().startswith(("//", "*")):
                continue
            yield use(file, found.group(1), found.group(2), found.group(3),
                      file.text.count("\n", 0, found.start()) + 1)


def versions_toml(file: SourceFile) -> Iterator[Detection]:
    """gradle/libs.versions.toml: [libraries] name = "g:a:v" | { module = "g:a" } | { group, name }."""
    data = tomllib.loads(file.text)
    versions = data.get("versions", {})
    for key, spec in (data.get("libraries") or {}).items():
        version = None
        if isinstance(spec, str):
            group, _, rest = spec.partition(":")
            artifact, _, version = rest.partition(":")
        elif isinstance(spec, dict):
            if "module" in spec:
                group, _, artifact = str(spec["module"]).partition(":")
            else:
                group, artifact = str(spec.get("group", "")), str(spec.get("name", ""))
            raw = spec.get("version")
            if isinstance(raw, str):
                version = raw
            elif isinstance(raw, dict) and isinstance(versions.get(raw.get("ref")), str):
                version = versions[raw["ref"]]
        else:
            continue
        if group and artifact:
            yield use(file, group, artifact, version or None, line_containing(file.text, key))
