"""The Dask extra's pins fit together, so that `pip install '.[test]'` resolves without backtracking.

aiobotocore (s3fs's S3 client) supports a narrow window of botocore releases; boto3 X.Y.Z requires botocore X.Y.Z.
The extra bounds boto3 to a window; every boto3 release it allows must have its botocore inside aiobotocore's
window, and the installed versions must be those of the pins.
"""

from __future__ import annotations

import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.version import Version

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def dask_extra() -> dict[str, Requirement]:
    extras = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    return {Requirement(line).name: Requirement(line) for line in extras["dask"]}


def botocore_window_of_aiobotocore() -> Requirement:
    return next(Requirement(line) for line in metadata.requires("aiobotocore") or []
                if Requirement(line).name == "botocore" and not Requirement(line).marker)


def test_every_boto3_the_dask_extra_allows_has_a_botocore_aiobotocore_supports():
    boto3 = dask_extra()["boto3"].specifier
    window = botocore_window_of_aiobotocore().specifier
    bounds = [Version(spec.version) for spec in boto3]
    low, high = min(bounds), max(bounds)
    candidates = [Version(f"{low.major}.{low.minor}.{micro}") for micro in range(low.micro, high.micro + 1)]
    allowed = [version for version in candidates if version in boto3]
    assert allowed, f"the dask extra allows no boto3 at all: {boto3}"
    outside = [str(version) for version in allowed if version not in window]
    assert not outside, f"boto3 {outside} need a botocore outside aiobotocore's window {window}"


def test_the_installed_s3_stack_is_the_pinned_one():
    pins = dask_extra()
    for name in ("s3fs", "aiobotocore", "boto3"):
        installed = metadata.version(name)
        assert installed in pins[name].specifier, f"{name} {installed} is not {pins[name]}"
    assert metadata.version("botocore") in botocore_window_of_aiobotocore().specifier
