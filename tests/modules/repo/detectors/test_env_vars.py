"""AI environment variable names, as whole identifiers."""

import pytest


@pytest.mark.parametrize("path, text, expected", [
    ("app.py", "key = os.environ['OPENAI_API_KEY']\n", [("openai-api", 1)]),
    (".env.example", "ANTHROPIC_API_KEY=\nOTHER=1\n", [("anthropic-api", 1)]),
    ("docker-compose.yml", "services:\n  app:\n    environment:\n      - GROQ_API_KEY\n", [("groq", 4)]),
    ("app.py", "MY_OPENAI_API_KEY_NAME = 1\nAZURE_OPENAI_API_KEYS = 2\n", []),
    ("app.py", "# export OPENAI_API_KEY first\n", []),
    ("README.md", "Set OPENAI_API_KEY before running.\n", []),
])
def test_env_var_names(detect, path, text, expected):
    assert detect(path, text) == expected


def test_only_the_name_is_kept_never_the_value(detect):
    [finding] = detect(".env", "MISTRAL_API_KEY=abc123secretvalue\n", evidence=True)
    assert "abc123secretvalue" not in repr(finding)
