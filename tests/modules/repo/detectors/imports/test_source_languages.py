"""Imports in JavaScript/TypeScript, Go, Java/Kotlin and C#."""

import pytest


@pytest.mark.parametrize("path, text, expected", [
    ("src/a.ts", 'import OpenAI from "openai";\nimport { x } from "./openai";\n', [("openai-api", 1)]),
    ("src/a.mjs", "import {\n  Anthropic,\n} from '@anthropic-ai/sdk'\n", [("anthropic-api", 3)]),
    ("src/a.js", "const OpenAI = require('openai')\nconst m = await import('@mistralai/mistralai')\n",
     [("mistral-api", 2), ("openai-api", 1)]),
    ("src/a.js", "// import OpenAI from 'openai'\n/*\n * require('openai')\n */\n", []),
    ("src/a.js", "import x from 'openai-like'\n", []),
    ("main.go", 'package main\n\nimport (\n\t"fmt"\n\toa "github.com/sashabaranov/go-openai"\n)\n',
     [("openai-api", 5)]),
    ("main.go", 'package main\nimport "github.com/anthropics/anthropic-sdk-go/option"\n', [("anthropic-api", 2)]),
    ("App.java", "package x;\nimport com.openai.client.OpenAIClient;\nimport static com.openai.models.X.y;\n",
     [("openai-api", 2), ("openai-api", 3)]),
    ("App.kt", "package x\nimport com.openai.client.OpenAIClient\n", [("openai-api", 2)]),
    ("Program.cs", "using System;\nusing OpenAI.Chat;\nusing Ai = Azure.AI.OpenAI;\nusing (var x = y) {}\n",
     [("azure-openai", 3), ("openai-api", 2)]),
])
def test_source_language_imports(detect, path, text, expected):
    assert [f for f in detect(path, text) if f[0] != "unknown"] == expected


def test_typescript_imports_are_matched_with_the_javascript_key(detect):
    [finding] = detect("x.tsx", "import OpenAI from 'openai'\n", evidence=True)
    assert finding.evidence["language"] == "javascript"
