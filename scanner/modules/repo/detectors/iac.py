"""Infrastructure as code: Terraform ``resource "type" "name"`` blocks (HCL and .tf.json) and CloudFormation /
SAM ``Type: AWS::Service::Resource`` (YAML and JSON templates). Values are ``terraform:<type>`` and
``cloudformation:<type>``, as match_iac expects."""

from __future__ import annotations

import re
from typing import Iterator

from scanner.modules.repo.detectors.base import HIGH, Detection, SourceFile, in_comment
from scanner.observations import CodeReference

TERRAFORM_RESOURCE = re.compile(r"^\s*resource\s+\"([A-Za-z0-9_]+)\"", re.M)
TERRAFORM_JSON_RESOURCE = re.compile(r"\"resource\"\s*:\s*\{\s*\"([A-Za-z0-9_]+)\"")
CLOUDFORMATION_TYPE = re.compile(r"[\"']?Type[\"']?\s*:\s*[\"']?((?:AWS|Alexa)::[A-Za-z0-9]+::[A-Za-z0-9:]+)")


def reference(file: SourceFile, value: str, offset: int) -> Detection:
    return Detection(CodeReference("iac", value, file.repo, file.path, file.text.count("\n", 0, offset) + 1), HIGH)


def terraform(file: SourceFile) -> Iterator[Detection]:
    if "resource" not in file.text:
        return
    for pattern in (TERRAFORM_RESOURCE, TERRAFORM_JSON_RESOURCE):
        for found in pattern.finditer(file.text):
            yield reference(file, f"terraform:{found.group(1)}", found.start(1))


def cloudformation(file: SourceFile) -> Iterator[Detection]:
    if "::" not in file.text:
        return
    for found in CLOUDFORMATION_TYPE.finditer(file.text):
        start = file.text.rfind("\n", 0, found.start()) + 1
        end = file.text.find("\n", found.start())
        if in_comment(file.text[start:end if end != -1 else len(file.text)], found.start() - start, ("#",)):
            continue
        yield reference(file, f"cloudformation:{found.group(1)}", found.start(1))
