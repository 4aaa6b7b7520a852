"""Endpoints and hosts in code and configuration; not in comments, not in prose; query strings dropped."""

import pytest


@pytest.mark.parametrize("path, text, expected", [
    ("client.py", 'URL = "https://api.openai.com/v1/chat/completions"\n', [("openai-api", 1)]),
    ("client.ts", "const host = 'api.anthropic.com';\n", [("anthropic-api", 1)]),
    ("client.py", "# see https://api.openai.com/v1\nx = 1  # https://api.anthropic.com\n", []),
    ("client.go", "// https://api.openai.com\n", []),
    ("settings.yaml", "llm:\n  base_url: https://api.mistral.ai/v1\n  host: api.groq.com\n",
     [("groq", 3), ("mistral-api", 2)]),
    (".env", "OPENAI_BASE_URL=https://api.openai.com/v1\n", [("openai-api", 1)]),
    ("config.json", '{"endpoint": "https://myres.openai.azure.com/"}', [("azure-openai", 1)]),
    ("README.md", "Call https://api.openai.com/v1 with your key.\n", []),
    ("client.py", 'u = "https://notopenai.com/v1"\nv = "https://api.openai.com.evil.example/"\n', []),
])
def test_endpoints(detect, path, text, expected):
    assert [f for f in detect(path, text) if f[0] not in ("unknown",)] == expected


def test_user_info_and_query_strings_are_not_kept(detect):
    [finding] = detect("c.py", 'u = "https://user:pw@api.openai.com/v1/models?api_key=abc#x"\n', evidence=True)
    assert finding.evidence["value"] == "https://api.openai.com/v1/models"
