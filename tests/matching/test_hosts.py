"""Host matching: exact on label boundaries, normalised, specific rules first; traps never matched."""

import pytest

MAJOR_VENDOR_HOSTS = [
    ("api.openai.com", "openai"),
    ("chatgpt.com", "openai"),
    ("claude.ai", "anthropic"),
    ("api.anthropic.com", "anthropic"),
    ("gemini.google.com", "google"),
    ("generativelanguage.googleapis.com", "google"),
    ("us-central1-aiplatform.googleapis.com", "google"),
    ("copilot.microsoft.com", "microsoft"),
    ("contoso-prod.openai.azure.com", "microsoft"),
    ("api.githubcopilot.com", "github"),
    ("bedrock-runtime.eu-west-1.amazonaws.com", "aws"),
    ("runtime.sagemaker.us-east-1.amazonaws.com", "aws"),
    ("www.meta.ai", "meta"),
    ("api.mistral.ai", "mistral"),
    ("chat.mistral.ai", "mistral"),
    ("api.cohere.com", "cohere"),
    ("api.x.ai", "xai"),
    ("grok.com", "xai"),
    ("chat.deepseek.com", "deepseek"),
    ("api.deepseek.com", "deepseek"),
    ("dashscope.aliyuncs.com", "alibaba"),
    ("chat.qwen.ai", "alibaba"),
    ("kimi.moonshot.cn", "moonshot"),
    ("api.moonshot.cn", "moonshot"),
    ("open.bigmodel.cn", "zhipu"),
    ("yiyan.baidu.com", "baidu"),
    ("www.perplexity.ai", "perplexity"),
    ("api.perplexity.ai", "perplexity"),
    ("huggingface.co", "huggingface"),
    ("api.groq.com", "groq"),
]

NEVER_AI = [
    "gemini.com",  # a crypto exchange
    "www.gemini.com",
    "x.com",  # not xAI
    "twitter.com",
    "notopenai.com",
    "openai.com.evil.example",
    "chatgpt.com.evil.example",
    "api.openai.com.attacker.net",
    "claude.ai.example.org",
    "google.com",
    "www.google.com",
    "googleapis.com",
    "storage.googleapis.com",
    "amazonaws.com",
    "s3.eu-west-1.amazonaws.com",
    "microsoft.com",
    "outlook.office.com",
    "github.com",
    "raw.githubusercontent.com",
    "cloudfront.net",
    "www.wikipedia.org",
]


@pytest.mark.parametrize("host, vendor", MAJOR_VENDOR_HOSTS)
def test_hosts_of_major_vendors_are_attributed_to_that_vendor(catalogue, host, vendor):
    found = catalogue.matcher.match_host(host)
    assert found is not None, f"{host} matched nothing"
    assert catalogue.services[found.service_id].vendor == vendor


@pytest.mark.parametrize("host", NEVER_AI)
def test_lookalike_trap_and_shared_platform_hosts_are_never_matched(catalogue, host):
    assert catalogue.matcher.match_host(host) is None


def test_grok_and_groq_are_different_companies(catalogue):
    grok = catalogue.services[catalogue.matcher.match_host("grok.com").service_id]
    groq = catalogue.services[catalogue.matcher.match_host("groq.com").service_id]
    assert (grok.vendor, groq.vendor) == ("xai", "groq")


@pytest.mark.parametrize("raw", ["ChatGPT.com", "chatgpt.com.", "CHATGPT.COM.:443", "chatgpt.com:443"])
def test_case_trailing_dot_and_port_are_normalised(catalogue, raw):
    assert catalogue.matcher.match_host(raw).service_id == "chatgpt"


def test_unicode_host_is_compared_in_idna_form(catalogue):
    # 'chatgpt.com' spelt with a Cyrillic 'с' is another domain (an IDN homograph) and must not match.
    assert catalogue.matcher.match_host("\u0441hatgpt.com") is None


def test_longest_suffix_wins(catalogue):
    assert catalogue.matcher.match_host("chat.openai.com").service_id == "chatgpt"
    assert catalogue.matcher.match_host("api.openai.com").service_id == "openai-api"


def test_ip_addresses_and_junk_are_not_hosts(catalogue):
    for junk in ["1.2.3.4", "::1", "[2001:db8::1]:443", "", "..", "a..b"]:
        assert catalogue.matcher.match_host(junk) is None
