"""A model found in Google Cloud is evidence of its vendor: `scan gcp` against the local Google APIs adds, beside
each Vertex AI finding that names a model, a finding for the model vendor's service."""

import json

from tests.modules.gcp.test_scan import ML, S, google, key, scan  # noqa: F401 - the google and key fixtures

PROJECT = "gcp:ml-prod"


def vendor_findings(db) -> dict[tuple[str, str], dict]:
    return {(row["service_id"], row["location"]): dict(row, evidence=json.loads(row["evidence"]))
            for row in db.query("select * from findings") if row["matched_by"].startswith("models:")}


def test_a_vertex_endpoint_serving_gemma_and_a_model_garden_llama_are_findings_for_their_vendors(
        google, key, db, catalogue):  # noqa: F811
    google.paged(ML + "/us-central1/endpoints", "endpoints", [[
        {"name": "projects/111/locations/us-central1/endpoints/77", "displayName": "support",
         "deployedModels": [{"id": "3", "model": "projects/111/locations/us-central1/models/12",
                             "displayName": "gemma-2-9b-it-1718000000"}]}]], S)

    result, _ = scan(google, key, db, catalogue)

    found = vendor_findings(db)
    region = "projects/111/locations/us-central1/"
    gemma = found[("google-gemini-api", region + "endpoints/77/deployedModels/3")]
    assert gemma["subject"] == PROJECT and gemma["matched_by"] == "models:gemma-*"
    assert gemma["hits"] == 1 and gemma["evidence"]["via"] == "google-vertex-ai"
    tuned = found[("google-gemini-api", region + "tuningJobs/5")]  # the tuning job's gemini-2.0-flash-001
    assert tuned["evidence"]["model"] == "gemini-2.0-flash-001"
    llama = found[("llama-api", region + "models/10")]  # the Model Garden model publishers/meta/models/llama3
    assert llama["evidence"]["model"] == "publishers/meta/models/llama3"
    assert llama["evidence"]["confidence"] == "high" and llama["hits"] == 1
    assert result.counts["model_vendor_findings"] == 4  # endpoint, model, tuning job, Claude invocations


def test_claude_invocations_through_vertex_carry_their_count_to_anthropic(google, key, db, catalogue):  # noqa: F811
    scan(google, key, db, catalogue)

    location = "projects/ml-prod/locations/us-east5/publishers/anthropic/models/claude-sonnet-4"
    claude = vendor_findings(db)[("anthropic-api", location)]
    assert (claude["subject"], claude["hits"]) == (PROJECT, 99)
    assert claude["evidence"]["model"] == "publishers/anthropic/models/claude-sonnet-4"
    assert claude["evidence"]["confidence"] == "high" and claude["evidence"]["via"] == "google-vertex-ai"
    # The deployed model named 'churn-llm' says nothing of its vendor: no finding is guessed for it.
    assert {key[0] for key in vendor_findings(db)} == {"anthropic-api", "google-gemini-api", "llama-api"}
