"""A model found in a cloud is evidence of its vendor too: one more finding beside the cloud platform's.

A Bedrock custom model based on ``anthropic.claude-…``, an Azure deployment of ``gpt-4o``, a Vertex AI endpoint
serving ``publishers/google/models/gemini-…`` and a CloudTrail ``InvokeModel`` of ``us.meta.llama3-…`` each
produce the platform's finding (aws-bedrock, azure-openai, google-vertex-ai…) from the matcher's usual rules.
``vendor_finding`` adds the finding for the model's vendor (anthropic-api, openai-api, llama-api…) with the same
source, subject, location, time and hits as the platform's, so CloudTrail invocation counts per principal carry
over, and evidence that says which platform it was seen through (``via``) and which model id made it.

Shared by the aws, azure and gcp scans: each calls it for every observation after matching it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scanner import observations as obs
from scanner.findings import Finding, compact, match_observation

if TYPE_CHECKING:
    from scanner.inventory.runs import Run
    from scanner.inventory.store import FindingBatch
    from scanner.matching.matcher import Matcher

# Where an observation keeps the model id and the model's publisher, when it has them.
MODEL_DETAIL = "model"
ASSET_DETAIL = "model_asset"  # Azure ML deployments and serverless endpoints
HINT_DETAILS = ("model_format",)  # Azure deployments' model.format (Vertex names its publisher in the model path)
# Facts of the platform finding worth repeating in the vendor's: what the resource or activity was.
CARRIED = ("region", "type", "id", "account", "action", "window", "unit", "total", "deployment", "cost", "period")


def model_of(observation: Any) -> tuple[str | None, str | None]:
    """(model id, publisher hint) of a cloud resource or activity; (None, None) for anything else."""
    if isinstance(observation, obs.CloudResource):
        details = dict(observation.details)
        asset = details.get(ASSET_DETAIL) or ""
        # An Azure ML registry asset names the publisher too: azureml://registries/azureml-meta/models/…
        model = asset if "/models/" in asset else observation.model or details.get(MODEL_DETAIL)
    elif isinstance(observation, obs.CloudActivity):
        details = dict(observation.details)
        model = details.get(MODEL_DETAIL)
    else:
        return None, None
    hint = next((details[key] for key in HINT_DETAILS if details.get(key)), None)
    if not isinstance(model, str):  # a malformed answer (a number, an object): no model named, nothing to match
        model = None
    return (model or None), hint


def vendor_finding(observation: Any, platform: Finding | None, matcher: "Matcher") -> Finding | None:
    """The model vendor's finding for an observation whose platform finding is ``platform``, or None when the
    observation names no model, the catalogue knows no vendor for it, or the vendor is the platform itself
    (an Amazon Nova model on Bedrock)."""
    if platform is None:
        return None
    model, hint = model_of(observation)
    if not model:
        return None
    found = matcher.model_match(model, hint)
    if found is None or found.service_id == platform.service_id:
        return None
    evidence = {"via": platform.service_id, "model": model, "model_publisher": hint, "confidence": found.confidence,
                **{key: platform.evidence.get(key) for key in CARRIED}}
    return Finding(found.service_id, platform.source, platform.subject, platform.location, platform.seen_at,
                   f"models:{found.rule}", compact(evidence), hits=platform.hits)


def add_cloud_findings(observation: Any, matcher: "Matcher", batch: "FindingBatch", run: "Run", *,
                       count_as: str) -> None:
    """Match one cloud observation into ``batch``: the platform's finding (counted as ``count_as``) and, when it
    names another vendor's model, that vendor's finding (counted as ``model_vendor_findings``)."""
    finding = match_observation(observation, matcher)
    if finding is not None:
        batch.add(finding)
        run.count(count_as)
    vendor = vendor_finding(observation, finding, matcher)
    if vendor is not None:
        batch.add(vendor)
        run.count("model_vendor_findings")
