"""npm manifests and the npm, Yarn and pnpm lock files."""

import json

import pytest

PACKAGE_LOCK_V3 = json.dumps({"lockfileVersion": 3, "packages": {
    "": {"name": "app"}, "node_modules/express": {"version": "4"},
    "node_modules/@anthropic-ai/sdk": {"version": "0.30.0"},
    "node_modules/x/node_modules/openai": {"version": "4.0.0"}}}, indent=2)
PACKAGE_LOCK_V1 = json.dumps({"lockfileVersion": 1, "dependencies": {
    "express": {"version": "4", "dependencies": {"openai": {"version": "3.0.0"}}}}}, indent=2)
YARN_V1 = ('# yarn lockfile v1\n\n"@anthropic-ai/sdk@^0.30.0", "@anthropic-ai/sdk@^0.30.1":\n  version "0.30.1"\n\n'
           'express@^4:\n  version "4.19.0"\n')
YARN_BERRY = '__metadata:\n  version: 8\n\n"openai@npm:^4.0.0":\n  version: 4.2.0\n'
PNPM_V9 = ("lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      openai:\n        specifier: ^4\n"
           "packages:\n  openai@4.2.0:\n    resolution: {integrity: sha512-x}\n  '@anthropic-ai/sdk@0.30.0':\n"
           "    resolution: {integrity: sha512-y}\n")
PNPM_V5 = "lockfileVersion: 5.4\npackages:\n  /openai/3.3.0:\n    resolution: {integrity: sha512-x}\n"


@pytest.mark.parametrize("path, text, expected", [
    ("package.json", json.dumps({"name": "openai-demo", "description": "uses openai",
                                 "dependencies": {"express": "4"}, "devDependencies": {"openai": "^4"}}, indent=2),
     [("openai-api", 8)]),
    ("package-lock.json", PACKAGE_LOCK_V3, [("anthropic-api", 10), ("openai-api", 13)]),
    ("package-lock.json", PACKAGE_LOCK_V1, [("openai-api", 7)]),
    ("yarn.lock", YARN_V1, [("anthropic-api", 3)]),
    ("yarn.lock", YARN_BERRY, [("openai-api", 4)]),
    ("pnpm-lock.yaml", PNPM_V9, [("anthropic-api", 10), ("openai-api", 8)]),
    ("pnpm-lock.yaml", PNPM_V5, [("openai-api", 3)]),
])
def test_npm_manifests_and_lock_files(detect, path, text, expected):
    assert detect(path, text) == expected


def test_lock_file_uses_are_medium_confidence(detect):
    [finding] = detect("yarn.lock", YARN_BERRY, evidence=True)
    assert finding.evidence["confidence"] == "medium"


def test_an_unrelated_package_with_a_similar_name_is_not_matched(detect):
    assert detect("package.json", json.dumps({"dependencies": {"openai-like": "1", "@other/openai": "1"}})) == []
