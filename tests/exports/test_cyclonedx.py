"""`shadowai export --format cyclonedx`: a CycloneDX 1.6 AI-BOM that validates against the official schema
(shipped by cyclonedx-python-lib): SDKs as libraries with Package URLs, hosted AI APIs as services, model files
as machine-learning-model components with their hashes."""

import json

import pytest
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator
from packageurl import PackageURL

from scanner.exports.cyclonedx import exact_version, purl
from tests.cli.runner import shadowai
from tests.exports.repo_inventory import KEY, OID, repo_inventory


def export(tmp_path, db_path):
    out = tmp_path / "bom.json"
    result = shadowai("export", "--format", "cyclonedx", "--out", out, "--db", db_path)
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


def test_the_ai_bom_validates_against_the_cyclonedx_1_6_schema(tmp_path, db_path):
    repo_inventory(tmp_path, db_path)
    text = export(tmp_path, db_path)
    validator = JsonStrictValidator(SchemaVersion.V1_6)
    assert validator.validate_str(text) is None
    broken = json.loads(text)
    broken["components"][0]["type"] = "ai-thing"
    assert validator.validate_str(json.dumps(broken)) is not None  # the schema is really applied


def test_sdks_are_libraries_services_are_services_and_models_carry_hashes(tmp_path, db_path):
    root = repo_inventory(tmp_path, db_path)
    bom = json.loads(export(tmp_path, db_path))
    by_type = {}
    for component in bom["components"]:
        by_type.setdefault(component["type"], []).append(component)
    assert {c.get("purl") for c in by_type["library"]} >= {
        "pkg:pypi/openai@1.51.0", "pkg:pypi/anthropic", "pkg:npm/%40anthropic-ai/sdk@0.27.3", "pkg:npm/openai",
        "pkg:golang/github.com/sashabaranov/go-openai@v1.32.0"}
    openai = next(c for c in by_type["library"] if c.get("purl") == "pkg:pypi/openai@1.51.0")
    assert openai["evidence"]["occurrences"] == [{"location": f"{root}:requirements.txt", "line": 1}]
    assert openai["evidence"]["identity"][0]["methods"][0]["technique"] == "manifest-analysis"
    models = {c["name"]: c for c in by_type["machine-learning-model"]}
    assert models["big.safetensors"]["hashes"] == [{"alg": "SHA-256", "content": OID}]
    assert len(models["tiny.gguf"]["hashes"][0]["content"]) == 64
    assert [(c["name"], c["version"]) for c in by_type["container"]] == [("ollama/ollama", "0.3.12")]
    services = {s["bom-ref"]: s for s in bom["services"]}
    assert {"service:openai-api", "service:anthropic-api", "service:mistral-api", "service:aws-bedrock",
            "service:ollama", "service:cursor"} <= set(services)
    assert "service:chatgpt" not in services  # a log finding, not code
    assert services["service:mistral-api"]["endpoints"] == ["https://api.mistral.ai/v1/chat/completions"]
    assert services["service:openai-api"]["provider"]["name"] == "OpenAI"
    depends = {d["ref"]: d.get("dependsOn", []) for d in bom["dependencies"]}
    assert depends["pkg:pypi/openai@1.51.0"] == ["service:openai-api"]
    assert not any(ref.startswith("service:unknown") for ref in services)
    assert KEY not in json.dumps(bom) and "fingerprint" not in json.dumps(bom)


@pytest.mark.parametrize("ecosystem, name, version, expected", [
    ("pypi", "Langchain_OpenAI", "0.2.1", "pkg:pypi/langchain-openai@0.2.1"),
    ("npm", "@ai-sdk/openai", None, "pkg:npm/%40ai-sdk/openai"),
    ("maven", "com.azure:azure-ai-openai", "1.0.0-beta.12", "pkg:maven/com.azure/azure-ai-openai@1.0.0-beta.12"),
    ("cargo", "async-openai", "0.25.0", "pkg:cargo/async-openai@0.25.0"),
    ("nuget", "Azure.AI.OpenAI", "2.0.0", "pkg:nuget/Azure.AI.OpenAI@2.0.0"),
    ("rubygems", "ruby-openai", "7.3.1", "pkg:gem/ruby-openai@7.3.1"),
    ("go", "github.com/openai/openai-go", "v0.1.0", "pkg:golang/github.com/openai/openai-go@v0.1.0"),
])
def test_package_urls_follow_the_purl_spec(ecosystem, name, version, expected):
    assert purl(ecosystem, name, version) == expected
    assert PackageURL.from_string(expected).to_string() == expected


@pytest.mark.parametrize("version, exact", [("1.40.0", "1.40.0"), ("==1.4", "1.4"), ("v1.32.0", "v1.32.0"),
                                            ("^4.0.0", None), (">=1.2", None), ("~=1.0", None), ("*", None),
                                            (None, None), ("1.0.0-beta.12", "1.0.0-beta.12")])
def test_only_pinned_versions_go_in_a_package_url(version, exact):
    assert exact_version(version) == exact


@pytest.mark.parametrize("location", ["Cargo.toml", "src/App/App.csproj", "Directory.Packages.props"])
def test_a_bare_version_in_a_manifest_that_reads_it_as_a_range_is_not_pinned(location):
    assert exact_version("0.25.0", location) is None and exact_version("0.25.0", "Cargo.lock") == "0.25.0"
