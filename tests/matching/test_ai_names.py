"""Which OAuth/SaaS apps outside the catalogue look like AI: whole words in names, .ai and AI words in hosts."""

import pytest

from scanner.findings import UNKNOWN_OAUTH_AI_APP, match_observation
from scanner.matching.ai_names import ai_like_reason
from scanner.observations import OAuthGrant


@pytest.mark.parametrize("name, reason", [
    ("Meeting Notes AI", "name:ai"),
    ("fireflies-ai-clone", "name:ai"),
    ("AcmeGPT", "name:gpt"),
    ("resumegpt", "name:resumegpt"),
    ("AIWriter", "name:ai"),
    ("Team LLM Gateway", "name:llm"),
    ("Sales Copilot", "name:copilot"),
    ("my-claude-bridge", "name:claude"),
    ("Mail Merge", None),
    ("Thai Food Orders", None),
    ("SAIL", None),
    ("Said Hello", None),
    ("OpenAPI Linter", None),
    ("release-drafter", None),
])
def test_ai_words_are_whole_words_of_the_name(name, reason):
    assert ai_like_reason(name) == reason


@pytest.mark.parametrize("publisher, hosts, reason", [
    ("notes.ai", (), "publisher:.ai"),
    ("NOTES.AI.", (), "publisher:.ai"),
    (None, ("app.example.com", "login.gpt-tools.example.com"), "redirect:gpt"),
    ("example.com", ("ai.example",), "redirect:ai"),  # 'ai' is a label here, not the top-level domain: a word
    ("mail.example.com", ("thai.example.org",), None),
    (None, ("portal.openai-proxy.example.net",), "redirect:openai"),
])
def test_publisher_domains_and_reply_hosts_count_by_tld_and_by_label_words(publisher, hosts, reason):
    assert ai_like_reason("Plain Name", publisher, hosts) == reason


def test_an_ai_like_grant_outside_the_catalogue_is_an_unknown_oauth_ai_app_finding(catalogue):
    grant = OAuthGrant(idp="entra", app_id="00000000-0000-0000-0000-000000000001", app_name="Contoso Notes AI",
                       source="entra", location="tenant-1", scopes=("Mail.Read",), user="ann@example.com",
                       details=(("kind", "delegated"),))
    finding = match_observation(grant, catalogue.matcher)
    assert finding.service_id == UNKNOWN_OAUTH_AI_APP and finding.matched_by == "oauth-ai-like:name:ai"
    assert finding.subject == "ann@example.com" and finding.location == f"tenant-1#{grant.app_id}"
    assert finding.evidence == {"app_id": grant.app_id, "app_name": "Contoso Notes AI", "scopes": "Mail.Read",
                                "kind": "delegated", "reason": "ai-like-name", "confidence": "medium"}


def test_a_catalogue_app_wins_over_the_ai_like_fallback_and_a_plain_app_is_no_finding(catalogue):
    matched = match_observation(OAuthGrant("github", "1", "coderabbitai", "github", "github.com/acme"),
                                catalogue.matcher)
    assert (matched.service_id, matched.matched_by) == ("coderabbit", "oauth")
    assert match_observation(OAuthGrant("github", "2", "release-drafter", "github", "github.com/acme"),
                             catalogue.matcher) is None


def test_unknown_apps_without_an_app_id_are_kept_apart_by_name(catalogue):
    def authorised(name):
        return match_observation(OAuthGrant(idp="google", app_id="", app_name=name, source="google",
                                            location="reports:token", user="ann@example.com"), catalogue.matcher)
    alpha, beta = authorised("Alpha GPT"), authorised("Beta GPT")
    assert alpha.service_id == beta.service_id == UNKNOWN_OAUTH_AI_APP
    assert alpha.key != beta.key and alpha.location == "reports:token#Alpha GPT"
