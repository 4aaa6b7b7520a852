"""Patterns, URL paths and the non-host indexes, on a small catalogue written by the test."""

from pathlib import Path

import pytest
import yaml

from scanner.catalogue import load_catalogue
from scanner.matching.host_index import HostIndex
from scanner.matching.matcher import split_url
from scanner.matching.names import container_image, package_name
from scanner.matching.secret_rules import fingerprint


def test_placeholder_stands_for_exactly_one_label():
    index = HostIndex()
    index.add_pattern("bedrock-runtime.<region>.amazonaws.com", "bedrock")
    assert index.match("bedrock-runtime.eu-west-1.amazonaws.com").service_id == "bedrock"
    assert index.match("bedrock-runtime.amazonaws.com") is None
    assert index.match("bedrock-runtime.a.b.amazonaws.com") is None
    assert index.match("xbedrock-runtime.eu-west-1.amazonaws.com") is None


def test_placeholder_inside_a_label():
    index = HostIndex()
    index.add_pattern("<region>-aiplatform.googleapis.com", "vertex")
    assert index.match("europe-west4-aiplatform.googleapis.com").service_id == "vertex"
    assert index.match("aiplatform.googleapis.com") is None


def test_url_rule_needs_the_path_and_beats_the_domain_rule():
    index = HostIndex()
    index.add_domain("huggingface.co", "hub")
    index.add_url_rule("huggingface.co", "/chat", "huggingchat")
    assert index.match("huggingface.co", "/chat/conversation/1").service_id == "huggingchat"
    assert index.match("huggingface.co", "/chat").service_id == "huggingchat"
    assert index.match("huggingface.co", "/chatbots").service_id == "hub"  # prefix on a '/' boundary
    assert index.match("huggingface.co").service_id == "hub"  # no path known (DNS): the domain rule


def test_pattern_more_specific_than_domain_wins():
    index = HostIndex()
    index.add_domain("azure.example", "generic")
    index.add_pattern("<resource>.openai.azure.example", "azure-openai")
    assert index.match("contoso.openai.azure.example").service_id == "azure-openai"
    assert index.match("portal.azure.example").service_id == "generic"


@pytest.mark.parametrize("url, expected", [
    ("https://chatgpt.com/backend-api?x=1", ("chatgpt.com", "/backend-api?x=1")),
    ("chatgpt.com:443", ("chatgpt.com:443", "/")),
    ("http://user:pw@host.example:8080/a", ("host.example:8080", "/a")),
    ("host.example?q", ("host.example", "/?q")),
])
def test_split_url(url, expected):
    assert split_url(url) == expected


@pytest.mark.parametrize("ecosystem, raw, normal", [
    ("pypi", "Google_Generative.AI", "google-generative-ai"),
    ("npm", "@Anthropic-AI/SDK", "@anthropic-ai/sdk"),
    ("cargo", "async_openai", "async-openai"),
])
def test_package_names_are_normalised_per_ecosystem(ecosystem, raw, normal):
    assert package_name(ecosystem, raw) == normal


@pytest.mark.parametrize("reference, image", [
    ("ollama/ollama:0.5.1", "ollama/ollama"),
    ("docker.io/ollama/ollama@sha256:abc", "ollama/ollama"),
    ("docker.io/library/redis:7", "redis"),
    ("ghcr.io/open-webui/open-webui:main", "ghcr.io/open-webui/open-webui"),
    ("localhost:5000/team/vllm", "localhost:5000/team/vllm"),
])
def test_container_references_reduce_to_the_repository(reference, image):
    assert container_image(reference) == image


def test_secret_fingerprint_never_contains_the_secret():
    secret = "sk-ant-api03-" + "Q" * 93 + "AA"
    printed = fingerprint("anthropic-api-key", secret)
    assert secret not in printed and printed.startswith("anthropic-api-key:sk-a…:")
    assert fingerprint("anthropic-api-key", secret) == printed  # stable: the same key is recognised twice


@pytest.fixture
def small_catalogue(tmp_path: Path):
    service = {
        "id": "acme-ai", "name": "Acme AI", "vendor": "acme", "category": "llm-api",
        "description": "A test AI service for the matcher tests.", "website": "https://acme.example",
        "detection": {
            "packages": {"npm": ["@acme-ai/*"], "maven": ["com.acme.ai:*"], "go": ["github.com/acme/ai-go"],
                         "pypi": ["acme-ai"]},
            "imports": {"python": ["acme_ai"], "java": ["com.acme.ai"]},
            "cloud": {"azure": ["Acme.AI/accounts:AcmeAI"], "aws": ["acme-ai"]},
            "oauth": {"app_names": ["Acme AI Notetaker"], "publisher_domains": ["acme.example"],
                      "client_ids": ["0F1E2D3C-0000-4000-8000-000000000001"]},
            "dns_txt": [{"prefix": "acme-ai-verification="}],
            "iac": {"terraform": ["acme_ai_model"]},
        },
        "risk": {f: {"value": "unknown"} for f in
                 ("trains_on_customer_data", "retention", "enterprise_tier", "hosting_country", "certifications")},
        "examples": {},
    }
    folder = tmp_path / "services" / "acme"
    folder.mkdir(parents=True)
    (folder / "acme-ai.yaml").write_text(yaml.safe_dump(service))
    return load_catalogue([tmp_path])


def test_scoped_and_wildcard_packages(small_catalogue):
    m = small_catalogue.matcher
    assert m.match_package("npm", "@acme-ai/client") == "acme-ai"
    assert m.match_package("npm", "acme-ai-client") is None
    assert m.match_package("maven", "com.acme.ai:core") == "acme-ai"
    assert m.match_package("maven", "com.acme:ai") is None
    assert m.match_package("go", "github.com/acme/ai-go/v2/chat") == "acme-ai"
    assert m.match_package("go", "github.com/acme/ai-gofer") is None
    assert m.match_package("pypi", "Acme_AI") == "acme-ai"


def test_imports_match_on_module_boundaries(small_catalogue):
    m = small_catalogue.matcher
    assert m.match_import("python", "acme_ai.chat") == "acme-ai"
    assert m.match_import("python", "acme_aix") is None
    assert m.match_import("java", "com.acme.ai.Client") == "acme-ai"


def test_cloud_oauth_txt_and_iac_lookups(small_catalogue):
    m = small_catalogue.matcher
    assert m.match_cloud("azure", "acme.ai/accounts", "AcmeAI") == "acme-ai"
    assert m.match_cloud("azure", "Acme.AI/accounts", "Other") is None
    assert m.match_cloud("aws", "ACME-AI") == "acme-ai"
    assert m.match_oauth(app_name="  acme ai   NOTETAKER ") == "acme-ai"
    assert m.match_oauth(publisher_domain="login.acme.example") == "acme-ai"
    assert m.match_oauth(publisher_domain="acme.example.evil") is None
    assert m.match_oauth(client_id="0f1e2d3c-0000-4000-8000-000000000001") == "acme-ai"
    assert m.match_txt('"acme-ai-verification=abc"') == "acme-ai"
    assert m.match_txt("v=spf1 include:acme.example") is None
    assert m.match_iac("terraform", "acme_ai_model") == "acme-ai"
