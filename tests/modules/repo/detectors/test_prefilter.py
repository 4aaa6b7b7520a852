"""The catalogue pre-filter: a file it passes over could not have yielded a content finding."""

import pytest


@pytest.mark.parametrize("text", [
    "import { generateText } from 'ai'\n",  # a two-letter npm package, in its quoted form
    'import { useChat } from "ai/react"\n',
    "from google import genai\n",  # the import's parts, not the catalogue's dotted key
    "openai_agents==0.1\n",  # pypi separators and case
    "const u = 'https://MyRes.OpenAI.Azure.com/'\n",  # a host pattern's literal run, case-insensitive
    "x = os.environ['ANTHROPIC_API_KEY']\n",
    "import fal",  # a short module name, on a last line without a newline
    "import os,fal.apps\n",
])
def test_catalogue_evidence_always_passes(detectors, text):
    assert detectors.prefilter.may_match(text.encode())


@pytest.mark.parametrize("text", ["def add(a, b):\n    return a + b\n", "SELECT * FROM users;\n", "chai.expect(x)\n",
                                  "return False\n"])
def test_ordinary_code_is_passed_over(detectors, text):
    assert not detectors.prefilter.may_match(text.encode())


def test_a_file_passed_over_yields_nothing_but_a_manifest_is_always_read(detect):
    assert detect("util.py", "def add(a, b):\n    return a + b\n") == []
    assert detect("package.json", '{"dependencies": {"ai": "4"}}') == [("vercel-ai-sdk", 1)]


@pytest.mark.parametrize("text", ["def setup_logging(group_by):\n", ".has-icon { }\n", "lookup_table = {}\n",
                                  "stack-trace: true\n"])
def test_an_api_key_keyword_inside_a_word_is_passed_over(detectors, text):
    assert not detectors.prefilter.may_match(text.encode())


def secret_examples(catalogue):
    return [(service.id, text) for service in catalogue.services.values()
            for text in service.examples.get("secrets", {}).get("match", [])]


def test_every_catalogue_api_key_example_passes_with_the_rule_that_finds_it(catalogue, detectors):
    examples = secret_examples(catalogue)
    assert len(examples) > 40
    for service_id, text in examples:
        for form in (text, f"«{text}»", f"config:\n  - {text}\n"):  # « and » end in a non-ASCII byte
            candidates = detectors.prefilter.scan(form.encode())
            everywhere = catalogue.matcher.find_secrets(form)
            assert everywhere, service_id  # the example is a key: the catalogue's own check, kept honest
            assert catalogue.matcher.secrets.scan(form, candidates.secret_rules) == everywhere, service_id
