"""Model ids as evidence of the model's vendor: any id shape read into (namespace, name), and the catalogue's
``models`` patterns compiled into an index.

A model id names its vendor in two ways: a publisher namespace (Bedrock's provider prefix in
``anthropic.claude-…``, Vertex AI's ``publishers/anthropic/models/…``, a Hugging Face organisation in
``meta-llama/…``, an Azure deployment's model format ``Meta`` given as a hint) or the model family's own name
(``claude-…``, ``gpt-4o``, ``Mistral-Large-2411``). ``model_parts`` reads every shape into one normal form:

- ARNs: ``…:foundation-model/ID``, ``…:inference-profile/ID`` and ``…:custom-model/ID/suffix`` give the id
  inside; other ARNs (provisioned throughput, imported models, application inference profiles) name no model.
- Cross-region inference profiles: the geography (``us.``, ``eu.``, ``apac.``, ``global.``…) is dropped.
- Paths: ``…/publishers/X/models/Y`` (Vertex AI), ``models/Y`` (Gemini API), ``azureml://registries/azureml-X/
  models/Y/versions/N`` (Azure ML registries), ``X/Y`` (Hugging Face, OpenRouter).
- ``X.Y`` (Bedrock): X is a namespace when it is one word and a letter follows the dot (``meta.llama3-…``,
  ``deepseek.v3``), never for a version's dot (``gpt-4.1``, ``qwen2.5-72b``, ``claude-3.5-sonnet``).
- Suffixes: ``@…`` (Vertex versions) and ``:…`` (Bedrock ``-v1:0`` and ``:0:200k``, Ollama tags) are dropped.

Names are lower-cased with ``_`` and spaces read as ``-``; a namespace keeps only its letters and digits, so
``Mistral AI`` (an Azure format), ``mistralai`` (Hugging Face, Vertex) and ``mistral-ai`` are one namespace.

Pattern forms:
- ``X/*``: every model of namespace X.
- ``NAME``: exactly this model, give or take trailing dates, 3-4 digit stamps (``-0613``), ``-latest`` or
  ``-preview``: ``o1`` matches ``o1`` and ``o1-2024-12-17``, never ``o1-mini`` nor ``o1-something-else``;
  ``computer-use-preview`` matches ``computer-use-preview-2025-03-11``.
- ``NAME-*``: the name alone or continued after ``-`` or ``.``: ``gpt-4o-*`` matches ``gpt-4o`` and
  ``gpt-4o-mini``, never ``gpt-4ox``.
- ``PREFIX*``: any name that starts so: ``llama*`` matches ``llama3-70b`` and ``llama-3.1-8b``.

Lookup: the longest name pattern that fits wins (``llama-3.1-nemotron-*`` beats ``llama*``); a name no pattern
fits falls back to the id's namespace, then to the hint. Names come first because a namespace may be the host
rather than the maker: Azure deploys OpenAI's gpt-oss with the format ``Microsoft``. A match is of high
confidence when the publisher the id names (its namespace or the hint) agrees with the name's service, or is that
service's catalogue vendor (``publishers/google/models/gemini-…``), and when a namespace alone decides; of medium
confidence when a bare name (a Vertex display name, say) or a hint alone decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

# Geographies of Bedrock's cross-region (system-defined) inference profiles: ``us.anthropic.claude-…``.
PROFILE_GEOGRAPHIES = frozenset({"us", "us-gov", "eu", "apac", "jp", "au", "ca", "global"})
# ARN resource types whose id part is (or starts with) a model id; every other Bedrock ARN is opaque.
MODEL_ARN_TYPES = frozenset({"foundation-model", "inference-profile", "custom-model"})
_NAMESPACE_DOT = re.compile(r"^([a-z][a-z0-9]*)\.(?=[a-z])")
_GEOGRAPHY_DOT = re.compile(r"^([a-z]+(?:-[a-z]+)?)\.(?=[a-z][a-z0-9]*\.[a-z])")
_VERSION_TAIL = re.compile(r"[-.](?:\d{4}-\d{2}-\d{2}|\d{8}|\d{3,4}|latest|preview)$")
_NAME_SEPARATORS = re.compile(r"[\s_]+")
MIN_LITERAL = 2


@dataclass(frozen=True)
class ModelMatch:
    service_id: str
    rule: str  # the pattern as the catalogue writes it
    by: str  # name | namespace | hint: what in the id matched
    confidence: str  # high: the id's publisher (namespace or hint) agrees with its name; medium: one alone


@dataclass(frozen=True)
class ModelParts:
    namespace: str  # '' when the id names none
    name: str  # '' when the id names no model (an opaque ARN)


def namespace_key(text: str) -> str:
    """'Mistral AI', 'mistral-ai', 'mistralai' -> 'mistralai'."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


def name_key(text: str) -> str:
    """Lower case, spaces and underscores read as ``-``, and a trailing ``+`` as ``-plus`` (a bill's
    ``Command R+`` is the API's ``command-r-plus``)."""
    name = _NAME_SEPARATORS.sub("-", text.strip().lower())
    return re.sub(r"-?\+$", "-plus", name)


def version_forms(name: str) -> Iterator[str]:
    """The name, then the name with each trailing date, 3-4 digit stamp or latest/preview dropped in turn:
    'computer-use-preview-2025-03-11' -> itself, 'computer-use-preview', 'computer-use'."""
    while True:
        yield name
        shorter = _VERSION_TAIL.sub("", name)
        if shorter == name or not shorter:
            return
        name = shorter


def versionless(name: str) -> str:
    """'o1-2024-12-17' -> 'o1'; 'gpt-4o-mini-latest' -> 'gpt-4o-mini'. Only dates, 3-4 digit stamps and the
    words latest/preview are dropped, never a model's own version (``gpt-5``, ``phi-4``)."""
    *_, shortest = version_forms(name)
    return shortest


def _from_arn(text: str) -> str | None:
    """The model id inside a Bedrock ARN, or None when the ARN names no model."""
    parts = text.split(":", 5)
    if len(parts) < 6:
        return None
    kind, _, rest = parts[5].partition("/")
    if kind not in MODEL_ARN_TYPES or not rest:
        return None
    return rest.split("/", 1)[0]


def _from_path(text: str) -> tuple[str, str]:
    """(namespace, model) from a path-shaped id."""
    parts = [part for part in text.split("/") if part]
    namespace = ""
    for marker in ("publishers", "registries"):
        if marker in parts[:-1]:
            namespace = parts[parts.index(marker) + 1]
            if marker == "registries" and namespace.startswith("azureml-"):
                namespace = namespace[len("azureml-"):]
    if "models" in parts[:-1]:
        return namespace, parts[parts.index("models") + 1]
    if len(parts) == 2:
        return parts[0], parts[1]
    return namespace, parts[-1] if parts else ""


def model_parts(model_id: str) -> ModelParts:
    text = model_id.strip()
    if text.lower().startswith("arn:"):
        inner = _from_arn(text)
        if inner is None:
            return ModelParts("", "")
        text = inner
    namespace = ""
    if "/" in text:
        namespace, text = _from_path(text.split("://", 1)[-1])
    text = text.split("@", 1)[0].split(":", 1)[0].lower()
    if not namespace:
        geography = _GEOGRAPHY_DOT.match(text)
        if geography and geography.group(1) in PROFILE_GEOGRAPHIES:
            text = text[geography.end():]
        dotted = _NAMESPACE_DOT.match(text)
        if dotted:
            namespace, text = dotted.group(1), text[dotted.end():]
    return ModelParts(namespace_key(namespace), name_key(text))


@dataclass(frozen=True)
class NameRule:
    literal: str
    form: str  # exact | continued | prefix
    service_id: str
    rule: str

    def fits(self, name: str) -> bool:
        if self.form == "prefix":
            return name.startswith(self.literal)
        if self.form == "continued":
            return name == self.literal or (name.startswith(self.literal)
                                            and name[len(self.literal)] in "-.")
        # Each form, not only the shortest: 'computer-use-preview' must fit its dated snapshot, whose
        # versionless form has lost the pattern's own '-preview'.
        return self.literal in version_forms(name)


def pattern_claim(pattern: str) -> str:
    """The key a pattern stakes out, for duplicate checks: 'namespace:mistralai', 'name:gpt-4o'. Two services may
    not claim one namespace, nor one name in any form (``o1`` and ``o1-*`` would be ambiguous)."""
    text = pattern.strip()
    if text.endswith("/*"):
        return "namespace:" + namespace_key(text[:-2])
    return "name:" + compile_name(text, "").literal


def pattern_problem(pattern: str) -> str | None:
    """Why a pattern cannot be used, or None. The schema checks its shape; this, what the shape cannot say."""
    text = pattern.strip()
    if text.endswith("/*"):
        return None if namespace_key(text[:-2]) else "the namespace has no letter or digit"
    if "*" in text.rstrip("*").rstrip("-"):
        return "'*' may only end a pattern"
    if len(compile_name(text, "").literal) < MIN_LITERAL:
        return f"at least {MIN_LITERAL} characters before any '*'"
    return None


def compile_name(pattern: str, service_id: str) -> NameRule:
    text = name_key(pattern)
    if text.endswith("-*"):
        literal, form = text[:-2], "continued"
    elif text.endswith("*"):
        literal, form = text[:-1], "prefix"
    else:
        literal, form = text, "exact"
    return NameRule(literal, form, service_id, pattern)


class ModelIndex:
    """Namespace claims in a dict; name patterns bucketed by their first two characters, longest literal first."""

    def __init__(self) -> None:
        self.namespaces: dict[str, tuple[str, str]] = {}
        self.buckets: dict[str, list[NameRule]] = {}
        self.vendors: dict[str, str] = {}  # service id -> its catalogue vendor, as a namespace key
        self.match = lru_cache(maxsize=8192)(self._match)  # model ids repeat: one CloudTrail model per event

    def add(self, pattern: str, service_id: str, vendor: str = "") -> None:
        text = pattern.strip()
        problem = pattern_problem(text)
        if problem:
            raise ValueError(f"model pattern {pattern!r}: {problem}")
        self.vendors.setdefault(service_id, namespace_key(vendor))
        if text.endswith("/*"):
            self.namespaces.setdefault(namespace_key(text[:-2]), (service_id, text))
        else:
            rule = compile_name(text, service_id)
            bucket = self.buckets.setdefault(rule.literal[:MIN_LITERAL], [])
            bucket.append(rule)
            bucket.sort(key=lambda r: (-len(r.literal), r.form != "exact"))
        self.match.cache_clear()

    def by_name(self, name: str) -> NameRule | None:
        for rule in self.buckets.get(name[:MIN_LITERAL], ()):
            if rule.fits(name):
                return rule
        return None

    def _match(self, model_id: str, hint: str | None = None) -> ModelMatch | None:
        parts = model_parts(model_id)
        if not parts.name and not parts.namespace:
            return None
        hint_key = namespace_key(hint) if hint else ""
        by_namespace = self.namespaces.get(parts.namespace) if parts.namespace else None
        by_hint = self.namespaces.get(hint_key) if hint_key else None
        rule = self.by_name(parts.name) if parts.name else None
        if rule is not None:
            publishers = {parts.namespace, hint_key} - {""}
            claimed = {found[0] for found in (by_namespace, by_hint) if found is not None}
            agrees = rule.service_id in claimed or self.vendors.get(rule.service_id) in publishers
            return ModelMatch(rule.service_id, rule.rule, "name", "high" if agrees else "medium")
        if by_namespace is not None:
            return ModelMatch(by_namespace[0], by_namespace[1], "namespace", "high")
        if by_hint is not None:
            return ModelMatch(by_hint[0], by_hint[1], "hint", "medium")
        return None
