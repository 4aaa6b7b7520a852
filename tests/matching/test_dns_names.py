"""DNS records through the matcher: verification tokens at their names, CNAME/MX/SPF targets, and records no
service claims that still look like AI (unknown-dns-ai-record)."""

import pytest
import yaml

from scanner.catalogue import load_catalogue
from scanner.findings import UNKNOWN_DNS_AI, match_observation
from scanner.matching.dns_names import ai_like_verification, owner_label
from scanner.observations import DnsRecord


def record(name, kind, value, zone="example.com"):
    return DnsRecord(name, kind, value, "dns-zone", "example.com", zone=zone,
                     details=(("chain", "a -> b"),) if kind == "CNAME" else ())


@pytest.fixture(scope="module")
def named_rule_catalogue(tmp_path_factory):
    folder = tmp_path_factory.mktemp("signatures")
    service = {
        "id": "acme-ai", "name": "Acme AI", "vendor": "acme", "category": "llm-api",
        "description": "A test AI service with a named verification record.", "website": "https://acme.example",
        "detection": {"dns_txt": [{"prefix": "acme-ai-verification=", "name": "_acme-ai-challenge"}]},
        "risk": {fact: {"value": "unknown"} for fact in
                 ("trains_on_customer_data", "retention", "enterprise_tier", "hosting_country", "certifications")},
        "examples": {},
    }
    (folder / "services" / "acme").mkdir(parents=True)
    (folder / "services" / "acme" / "acme-ai.yaml").write_text(yaml.safe_dump(service))
    return load_catalogue([folder])


@pytest.mark.parametrize("name, label", [
    ("example.com", None),
    ("_acme-ai-challenge.example.com", "_acme-ai-challenge"),
    ("_a._b.example.com.", "_a._b"),
    ("www._x.example.com", None),
])
def test_owner_label(name, label):
    assert owner_label(name) == label


@pytest.mark.parametrize("name, should_match", [
    ("_acme-ai-challenge.example.com", True),
    ("example.com", True),  # at the apex the token still names the vendor
    ("_other-challenge.example.com", False),  # a named rule holds only at its name
])
def test_a_named_verification_rule_holds_at_its_name(named_rule_catalogue, name, should_match):
    finding = match_observation(record(name, "TXT", "acme-ai-verification=4f2a9c"), named_rule_catalogue.matcher)
    assert (finding is not None and finding.service_id == "acme-ai") is should_match


def test_a_catalogue_token_becomes_a_finding_with_the_record_as_evidence(catalogue):
    finding = match_observation(record("example.com", "TXT", "openai-domain-verification=dv-Ab12"), catalogue.matcher)
    assert finding.key == ("chatgpt", "dns-zone", "example.com", "example.com")
    assert finding.matched_by == "dns_txt"
    assert finding.evidence == {"name": "example.com", "type": "TXT", "value": "openai-domain-verification=dv-Ab12"}


@pytest.mark.parametrize("kind, value, service", [
    ("CNAME", "contoso.openai.azure.com", "azure-openai"),
    ("SPF", "_spf.anthropic.com", "anthropic-api"),
    ("MX", "mx.mistral.ai", "mistral-api"),
    ("CNAME", "corp.openai.azure.com.evil.example", UNKNOWN_DNS_AI),  # not Azure OpenAI: only named like AI
    ("CNAME", "cdn.example.net", None),
    ("SPF", "_spf.google.com", None),  # a shared platform, claimed by no AI service
])
def test_targets_are_matched_as_hosts(catalogue, kind, value, service):
    finding = match_observation(record("chat.example.com", kind, value), catalogue.matcher)
    assert (finding.service_id if finding else None) == service


@pytest.mark.parametrize("name, value, word", [
    ("example.com", "acmegpt-domain-verification=abc", "acmegpt"),
    ("example.com", "notes-ai-site-verification:xyz", "ai"),
    ("_llm-gateway-challenge.example.com", "f00d", "llm"),
    ("example.com", "google-site-verification=abc", None),
    ("example.com", "v=spf1 include:ai.example -all", None),
    ("example.com", "mail-ai=abc", None),  # not a verification record
    ("example.com", "said-domain-verification=1", None),  # 'said' is not the word AI
])
def test_ai_like_verification(name, value, word):
    assert ai_like_verification(name, value) == word


@pytest.mark.parametrize("target, zone, expected", [
    ("inbound.mailsort.ai", "example.com", "dns-ai-like:mx:.ai"),
    ("ai-chat.example.com", "example.com", None),  # inside the zone: the organisation's own name
    ("mx.corp.ai", "corp.ai", None),
    ("inbound.mailsort.ai", None, None),  # no zone known: no judgement
    ("mx.example.net", "example.com", None),
])
def test_an_ai_like_target_outside_the_zone_is_an_unknown_finding(catalogue, target, zone, expected):
    finding = match_observation(record("example.com", "MX", target, zone=zone), catalogue.matcher)
    if expected is None:
        assert finding is None
    else:
        assert (finding.service_id, finding.matched_by) == (UNKNOWN_DNS_AI, expected)
