"""`detection.models` in the catalogue: validated like every other kind, counted by `catalogue stats`."""

from scanner.catalogue import load_catalogue
from scanner.catalogue.coverage import coverage, readme
from scanner.catalogue.validate import validate
from tests.catalogue.test_validate import VALID, problems_for

WITH_MODELS = {**VALID,
               "detection": {"domains": ["acme-writer.example"], "models": ["acme/*", "acme-writer-*"]},
               "examples": {**VALID["examples"], "models": {
                   "match": ["acme.acme-writer-2-v1:0", "Acme|scribe-7b", "acme-writer-3@20250101"],
                   "no_match": ["acme-writerly-1b", "scribe-7b"]}}}


def test_a_signature_with_model_patterns_and_examples_passes(tmp_path):
    assert problems_for(tmp_path, WITH_MODELS) == []


def test_model_patterns_need_examples(tmp_path):
    service = {**WITH_MODELS, "examples": VALID["examples"]}
    problems = problems_for(tmp_path, service)
    assert any("examples.models: missing" in p for p in problems), problems


def test_a_model_example_attributed_elsewhere_names_the_other_service(tmp_path):
    examples = {**WITH_MODELS["examples"], "models": {"match": ["us.anthropic.claude-3-haiku-20240307-v1:0"],
                                                      "no_match": ["scribe-7b"]}}
    problems = problems_for(tmp_path, {**WITH_MODELS, "examples": examples})
    assert any("examples.models.match[0]" in p and "matched anthropic-api instead" in p for p in problems), problems


def test_a_pattern_another_service_claims_is_a_duplicate_in_any_form(tmp_path):
    service = {**WITH_MODELS, "detection": {**WITH_MODELS["detection"], "models": ["acme/*", "acme-writer-*", "o1-*"]}}
    problems = problems_for(tmp_path, service)
    assert any("detection.models" in p and "'name:o1' is also claimed by openai-api" in p for p in problems), problems


def test_a_pattern_of_the_wrong_shape_is_refused_by_the_schema(tmp_path):
    service = {**WITH_MODELS, "detection": {**WITH_MODELS["detection"], "models": ["acme/*", "GPT-*-Mini"]}}
    problems = problems_for(tmp_path, service)
    assert any("detection.models[1]" in p for p in problems), problems


def test_stats_and_the_readme_count_model_rules():
    catalogue = load_catalogue()
    stats = coverage(catalogue)
    total = sum(len(service.detection.get("models", ())) for service in catalogue.services.values())
    assert stats["rules"]["models"] == total > 50
    assert stats["services_with"]["models"] >= 20
    assert f"| models | {total} |" in readme(catalogue)


def test_the_builtin_model_rules_validate():
    problems = [p for p in validate(load_catalogue()) if ".models" in p.field]
    assert not problems, "\n".join(map(str, problems))
