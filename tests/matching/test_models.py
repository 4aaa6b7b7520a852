"""Model ids: every shape read into (namespace, name), each pattern form, precedence and confidence."""

import pytest

from scanner.matching.models import ModelIndex, ModelParts, model_parts, pattern_claim, pattern_problem, versionless


@pytest.mark.parametrize("model_id, namespace, name", [
    ("anthropic.claude-3-5-sonnet-20240620-v1:0", "anthropic", "claude-3-5-sonnet-20240620-v1"),
    ("us.anthropic.claude-3-5-sonnet-20240620-v1:0", "anthropic", "claude-3-5-sonnet-20240620-v1"),
    ("global.anthropic.claude-sonnet-4-5-20250929-v1:0", "anthropic", "claude-sonnet-4-5-20250929-v1"),
    ("apac.amazon.nova-pro-v1:0", "amazon", "nova-pro-v1"),
    ("us-gov.meta.llama3-8b-instruct-v1:0", "meta", "llama3-8b-instruct-v1"),
    ("anthropic.claude-3-haiku-20240307-v1:0:200k", "anthropic", "claude-3-haiku-20240307-v1"),
    ("deepseek.v3.2", "deepseek", "v3.2"),
    ("arn:aws:bedrock:us-east-1::foundation-model/meta.llama3-70b-instruct-v1:0", "meta", "llama3-70b-instruct-v1"),
    ("arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.mistral.pixtral-large-2502-v1:0", "mistral",
     "pixtral-large-2502-v1"),
    ("arn:aws:bedrock:us-east-1:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/abcdefghijkl", "amazon",
     "titan-text-express-v1"),
    ("publishers/google/models/gemini-1.5-pro-002", "google", "gemini-1.5-pro-002"),
    ("projects/p/locations/us-east5/publishers/anthropic/models/claude-3-5-sonnet@20240620", "anthropic",
     "claude-3-5-sonnet"),
    ("models/gemini-2.0-flash", "", "gemini-2.0-flash"),
    ("meta-llama/Llama-3.1-8B-Instruct", "metallama", "llama-3.1-8b-instruct"),
    ("azureml://registries/azureml-meta/models/Llama-2-7b-chat/versions/24", "meta", "llama-2-7b-chat"),
    ("Meta-Llama-3.1-405B-Instruct", "", "meta-llama-3.1-405b-instruct"),
    ("Phi_4 mini", "", "phi-4-mini"),
    ("llama3:8b", "", "llama3"),
])
def test_every_shape_of_model_id_is_read_into_namespace_and_name(model_id, namespace, name):
    assert model_parts(model_id) == ModelParts(namespace, name)


@pytest.mark.parametrize("model_id", ["gpt-4.1", "qwen2.5-72b-instruct", "claude-3.5-sonnet", "gemini-1.5-pro",
                                      "Phi-3.5-MoE-instruct"])
def test_a_version_dot_is_never_read_as_a_namespace(model_id):
    assert model_parts(model_id).namespace == ""


@pytest.mark.parametrize("arn", [
    "arn:aws:bedrock:us-east-1:123456789012:provisioned-model/abcdefghijkl",
    "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/ip0support",
    "arn:aws:bedrock:us-east-1:123456789012:imported-model/im0mistral",
    "arn:aws:comprehend:us-east-1:123456789012:document-classifier/contracts",
])
def test_an_arn_that_names_no_model_reads_as_nothing(arn):
    assert model_parts(arn) == ModelParts("", "")


@pytest.mark.parametrize("name, stripped", [
    ("o1-2024-12-17", "o1"), ("gpt-4o-mini-latest", "gpt-4o-mini"), ("mistral-large-2411", "mistral-large"),
    ("gpt-4-0613-preview", "gpt-4"), ("gpt-5", "gpt-5"), ("phi-4", "phi-4"), ("text-bison-001", "text-bison"),
])
def test_versionless_drops_dates_and_stamps_never_a_models_own_version(name, stripped):
    assert versionless(name) == stripped


def index(*rules: tuple[str, str]) -> ModelIndex:
    built = ModelIndex()
    for pattern, service_id in rules:
        built.add(pattern, service_id)
    return built


def test_an_exact_pattern_allows_a_trailing_date_but_no_other_suffix():
    models = index(("o1", "openai"))
    assert models.match("o1").service_id == "openai"
    assert models.match("o1-2024-12-17").service_id == "openai"
    for other in ("o1-mini", "o1-something-else-vendor", "o10", "xo1"):
        assert models.match(other) is None, other


def test_an_exact_pattern_that_itself_ends_like_a_version_still_allows_a_trailing_date():
    # 'computer-use-preview' ends in '-preview': its dated snapshot must not be stripped past the pattern.
    models = index(("computer-use-preview", "openai"), ("o1-preview", "openai"), ("o1", "openai-o1"))
    assert models.match("computer-use-preview-2025-03-11").rule == "computer-use-preview"
    assert models.match("o1-preview-2024-09-12").rule == "o1-preview"
    assert models.match("computer-use") is None


def test_a_continued_pattern_stops_at_a_separator():
    models = index(("gpt-4o-*", "openai"))
    for name in ("gpt-4o", "gpt-4o-mini", "GPT-4o-2024-08-06", "gpt-4o.1"):
        assert models.match(name).service_id == "openai", name
    assert models.match("gpt-4ox") is None
    assert models.match("my-gpt-4o") is None


def test_a_prefix_pattern_needs_no_separator():
    models = index(("llama*", "meta"))
    assert models.match("llama3-70b").service_id == models.match("Llama-3.1-8B").service_id == "meta"
    assert models.match("tinyllama-1.1b") is None


def test_the_longest_name_pattern_wins():
    models = index(("llama*", "meta"), ("llama-3.1-nemotron-*", "nvidia"))
    assert models.match("Llama-3.1-Nemotron-70B-Instruct").service_id == "nvidia"
    assert models.match("llama-3.1-70b-instruct").service_id == "meta"


def test_a_name_no_pattern_fits_falls_back_to_the_namespace_then_the_hint():
    models = index(("deepseek/*", "deepseek"), ("deepseek-*", "deepseek"), ("cohere/*", "cohere"))
    found = models.match("deepseek.r1-v1:0")
    assert (found.service_id, found.by, found.confidence) == ("deepseek", "namespace", "high")
    found = models.match("embed-v-4-0", "Cohere")
    assert (found.service_id, found.by, found.confidence) == ("cohere", "hint", "medium")
    assert models.match("embed-v-4-0") is None


def test_the_name_beats_a_hint_that_names_the_host_rather_than_the_maker():
    # Azure deploys OpenAI's gpt-oss with the model format 'Microsoft'.
    models = index(("microsoft/*", "azure"), ("gpt-oss-*", "openai"))
    found = models.match("gpt-oss-20b", "Microsoft")
    assert (found.service_id, found.confidence) == ("openai", "medium")


def test_confidence_is_high_when_the_publisher_agrees_with_the_name():
    models = index(("openai/*", "openai"), ("gpt-4o-*", "openai"))
    assert models.match("gpt-4o", "OpenAI").confidence == "high"
    assert models.match("gpt-4o").confidence == "medium"
    vendor_named = ModelIndex()
    vendor_named.add("gemini-*", "gemini-api", vendor="google")  # the namespace equals the service's vendor
    assert vendor_named.match("publishers/google/models/gemini-1.5-pro-002").confidence == "high"
    assert vendor_named.match("unsloth/gemini-clone-1b").confidence == "medium"


def test_namespaces_compare_letters_and_digits_only():
    models = index(("mistral-ai/*", "mistral"))
    for model_id, hint in (("mistralai/Mistral-7B-Instruct-v0.3", None), ("Mistral-Large-2411", "Mistral AI"),
                           ("publishers/mistralai/models/codestral-2501", None)):
        assert models.match(model_id, hint).service_id == "mistral", model_id


def test_claims_key_a_name_in_any_form_so_overlaps_are_duplicates():
    assert pattern_claim("o1") == pattern_claim("o1-*") == pattern_claim("O1*") == "name:o1"
    assert pattern_claim("Mistral-AI/*") == pattern_claim("mistralai/*") == "namespace:mistralai"


@pytest.mark.parametrize("pattern, problem", [
    ("g*", "at least 2 characters"), ("gpt-*-mini", "may only end"), ("-/*", "no letter or digit"),
])
def test_a_pattern_that_cannot_be_indexed_is_named_and_refused(pattern, problem):
    assert problem in pattern_problem(pattern)
    with pytest.raises(ValueError, match=problem):
        ModelIndex().add(pattern, "x")


def test_lookups_are_cached_and_the_cache_is_reset_when_a_pattern_is_added():
    models = index(("claude-*", "anthropic"))
    assert models.match("claude-3-haiku").service_id == "anthropic"
    assert models.match("claude-3-haiku").service_id == "anthropic"
    assert models.match.cache_info().hits == 1
    models.add("claude-3-*", "other")
    assert models.match("claude-3-haiku").service_id == "other"


def test_a_trailing_plus_is_read_as_plus_so_a_bill_line_finds_its_model(catalogue):
    from scanner.matching.matcher import Matcher

    matcher = Matcher(catalogue)
    assert matcher.match_model("Command R+") == matcher.match_model("command-r-plus") == "cohere-api"
    assert model_parts("Command R+").name == "command-r-plus"
