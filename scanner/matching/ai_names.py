"""Does an app that no catalogue service claims look like AI? For OAuth/SaaS apps seen in admin consoles.

A lower-confidence signal for review, never a catalogue match: an app's name, publisher domain or reply host
says "AI" as a word (``Meeting Notes AI``, ``fireflies-ai``, ``AcmeGPT``, ``notes.ai``). Words are compared
whole after splitting on punctuation and camel case, so ``Mail``, ``Thai`` or ``Said`` never count.
"""

from __future__ import annotations

import re
from typing import Iterable

from scanner.matching.hostnames import normalise_host

# Whole words that say AI in an app's name. Model and vendor names are words here too: an app named after a
# model that the catalogue does not list is still an AI app.
AI_WORDS = frozenset({
    "ai", "genai", "llm", "llms", "gpt", "chatgpt", "openai", "copilot", "anthropic", "claude", "gemini",
    "mistral", "llama", "ollama", "deepseek", "agentic",
})
_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")


def words(text: str) -> list[str]:
    """'AcmeGPT-4o Notes.ai' -> ['acme', 'gpt', '4', 'o', 'notes', 'ai']."""
    return [word.lower() for word in _WORD.findall(text)]


def ai_word(text: str) -> str | None:
    """The first AI word in a name, or a word that ends in GPT ('ResumeGPT' is one word when all lower case)."""
    for word in words(text):
        if word in AI_WORDS or (len(word) > 3 and word.endswith("gpt")):
            return word
    return None


def ai_like_host(host: str) -> str | None:
    """'notes.ai' (the .ai top-level domain) or an AI word in a label ('gpt-tools.example.com')."""
    normal = normalise_host(host)
    if not normal or "." not in normal:
        return None
    labels = normal.split(".")
    if labels[-1] == "ai":
        return ".ai"
    return ai_word(" ".join(labels[:-1]))


def ai_like_reason(app_name: str, publisher_domain: str | None = None, redirect_hosts: Iterable[str] = ()
                   ) -> str | None:
    """Why the app looks like AI ('name:gpt', 'publisher:.ai', 'redirect:copilot'), or None."""
    word = ai_word(app_name)
    if word:
        return f"name:{word}"
    if publisher_domain:
        found = ai_like_host(publisher_domain)
        if found:
            return f"publisher:{found}"
    for host in redirect_hosts:
        found = ai_like_host(host)
        if found:
            return f"redirect:{found}"
    return None
