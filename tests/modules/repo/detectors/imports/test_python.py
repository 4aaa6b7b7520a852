"""Python imports read with ast: real imports only, never executed, relative imports skipped."""

import pytest


@pytest.mark.parametrize("text, expected", [
    ("import os\nfrom openai import OpenAI\n", [("openai-api", 2)]),
    ("import anthropic.types as t\n", [("anthropic-api", 1)]),
    ("def f():\n    import mistralai\n", [("mistral-api", 2)]),
    ("from . import openai\nfrom .openai import x\n", []),  # the project's own module
    ("# import openai\ns = 'import openai'\n", []),  # a comment and a string are not imports
    ("import importlib\nm = importlib.import_module('anthropic')\n", [("anthropic-api", 2)]),
    ("import openaix\nimport myopenai\n", []),
    ("from google import genai\n", [("google-gemini-api", 1)]),  # the module google.genai
])
def test_python_imports(detect, text, expected):
    wanted = ("openai-api", "anthropic-api", "mistral-api", "google-gemini-api")
    assert [f for f in detect("app/main.py", text) if f[0] in wanted] == expected


def test_code_that_does_not_parse_falls_back_to_import_lines_with_medium_confidence(detect):
    findings = detect("legacy.py", "import openai\nprint 'python 2'\n", evidence=True)
    assert [(f.service_id, f.evidence["line"], f.evidence["confidence"]) for f in findings] == \
        [("openai-api", 1, "medium")]


def test_the_scanned_code_is_never_executed(detect, tmp_path):
    marker = tmp_path / "executed"
    text = f"import openai\nopen({str(marker)!r}, 'w').write('x')\n__import__('os').system('touch {marker}')\n"
    detect("evil.py", text)
    assert not marker.exists()
