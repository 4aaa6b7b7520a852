"""Packages installed by commands in Dockerfiles, scripts and CI workflows."""

import pytest


@pytest.mark.parametrize("path, text, expected", [
    ("Dockerfile", "FROM python:3.12\nRUN pip install --no-cache-dir fastapi openai==1.40 \\\n    anthropic\n",
     [("anthropic-api", 2), ("openai-api", 2)]),
    ("scripts/setup.sh", "#!/bin/sh\nnpm install --save @anthropic-ai/sdk\n", [("anthropic-api", 2)]),
    (".github/workflows/ci.yml", "jobs:\n  t:\n    steps:\n      - run: python -m pip install openai\n",
     [("openai-api", 4)]),
])
def test_install_commands(detect, path, text, expected):
    assert detect(path, text) == expected
