"""Python manifests and lock files: each dependency with its line; comments and prose are not dependencies."""

import json

import pytest


@pytest.mark.parametrize("path, text, expected", [
    ("requirements.txt", "# openai is not pinned here\nfastapi==0.1\nopenai>=1.40  # the SDK\n",
     [("openai-api", 3)]),
    ("requirements-dev.txt", "-r requirements.txt\nAnthropic[bedrock]==0.40 ; python_version>'3.8'\n",
     [("anthropic-api", 2)]),
    ("requirements/base.in", "-e git+https://example.com/x.git#egg=openai\n", []),
    ("requirements.txt", "-e git+https://example.com/fork.git#egg=openai\n", [("openai-api", 1)]),
    ("requirements.txt", "# openai\n#openai==1.0\nnot-openai==2\n", []),
    ("pyproject.toml", '[project]\nname = "x"\ndescription = "talks to openai"\ndependencies = [\n  "openai>=1",\n]\n'
                       '[project.optional-dependencies]\nllm = ["anthropic"]\n',
     [("anthropic-api", 8), ("openai-api", 5)]),
    ("pyproject.toml", '[tool.poetry.dependencies]\npython = "^3.11"\nopenai = "^1.0"\n'
                       '[tool.poetry.group.dev.dependencies]\nmistralai = {version = "1"}\n',
     [("mistral-api", 5), ("openai-api", 3)]),
    ("pyproject.toml", '[dependency-groups]\nai = ["groq==0.9"]\n', [("groq", 2)]),
    ("Pipfile", '[packages]\nopenai = "*"\n[dev-packages]\npytest = "*"\n', [("openai-api", 2)]),
    ("Pipfile.lock", json.dumps({"default": {"openai": {"version": "==1.2.0"}}, "develop": {}}, indent=4),
     [("openai-api", 3)]),
    ("poetry.lock", '[[package]]\nname = "requests"\nversion = "2"\n\n[[package]]\nname = "openai"\nversion = "1.3"\n',
     [("openai-api", 6)]),
    ("uv.lock", 'version = 1\n[[package]]\nname = "anthropic"\nversion = "0.40.0"\n', [("anthropic-api", 3)]),
    ("setup.cfg", "[metadata]\nname = x\n[options]\ninstall_requires =\n    requests\n    openai>=1\n",
     [("openai-api", 6)]),
    ("environment.yml", "name: x\ndependencies:\n  - python=3.11\n  - conda-forge::openai=1.3\n  - pip:\n"
                        "    - anthropic==0.40\n", [("anthropic-api", 6), ("openai-api", 4)]),
])
def test_python_manifests(detect, path, text, expected):
    assert [f for f in detect(path, text) if f[0] != "unknown"] == expected


def test_a_readme_that_mentions_openai_is_not_a_dependency(detect):
    assert detect("README.md", "We use openai and `pip install anthropic`; see https://api.openai.com.\n") == []


def test_pinned_version_is_kept_as_evidence(detect):
    [finding] = detect("requirements.txt", "openai==1.40.0\n", evidence=True)
    assert (finding.evidence["package"], finding.evidence["version"], finding.evidence["confidence"]) == \
        ("openai", "1.40.0", "high")


def test_a_version_range_keeps_its_operator_so_that_it_is_not_taken_for_a_pin(detect):
    [finding] = detect("requirements.txt", "anthropic>=0.36,<1\n", evidence=True)
    assert finding.evidence["version"] == ">=0.36"
