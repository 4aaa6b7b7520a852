"""A model found in AWS is evidence of its vendor: `scan aws` against moto and the front adds, beside each
aws-bedrock finding that names a model, a finding for the model vendor's service."""

from __future__ import annotations

from tests.modules.aws import api_examples as examples
from tests.modules.aws.conftest import MAIN_ACCOUNT, session
from tests.modules.aws.test_scan import ROLE, findings, scan


def customise(base_model: str, name: str) -> None:
    session().client("bedrock").create_model_customization_job(
        jobName=f"tune-{name}", customModelName=name, roleArn=ROLE, baseModelIdentifier=base_model,
        trainingDataConfig={"s3Uri": "s3://train/data.jsonl"}, outputDataConfig={"s3Uri": "s3://train/out/"},
        hyperParameters={"epochCount": "1"})


def test_a_custom_model_based_on_claude_is_also_a_finding_for_anthropic(aws, db, catalogue):
    customise("anthropic.claude-3-haiku-20240307-v1:0:200k", "claude-support")
    examples.install(aws, examples.bedrock())  # the operations moto lacks: Claude throughput and profile, Llama job

    result, gaps = scan(db, catalogue, services=("bedrock",), cloudtrail=False)

    assert gaps == [] and result.status == "succeeded"
    platform = {row["evidence"]["type"]: row for row in findings(db, service_id="aws-bedrock")}["custom-model"]
    vendor = findings(db, service_id="anthropic-api", location=platform["location"])
    assert len(vendor) == 1, findings(db)
    found = vendor[0]
    assert platform["location"].startswith(f"arn:aws:bedrock:us-east-1:{MAIN_ACCOUNT}:custom-model/")
    assert (found["source"], found["subject"]) == (platform["source"], platform["subject"])
    assert found["matched_by"] == "models:claude-*"
    assert found["evidence"]["via"] == "aws-bedrock"
    assert found["evidence"]["model"] == "anthropic.claude-3-haiku-20240307-v1:0:200k"
    assert found["evidence"]["id"] == platform["location"] and found["evidence"]["confidence"] == "high"
    # The customisation job, the provisioned throughput and the inference profile name Claude too; the batch
    # job names Llama; guardrails, flows and prompts name no model.
    vendors = {(row["service_id"], row["evidence"]["type"]) for row in findings(db)
               if row["matched_by"].startswith("models:")}
    assert vendors == {("anthropic-api", kind) for kind in (
        "custom-model", "model-customization-job", "provisioned-throughput", "inference-profile")} | {
        ("llama-api", "batch-inference-job")}
    assert result.counts["model_vendor_findings"] == 5


def test_a_model_of_the_platforms_own_vendor_adds_no_second_finding(aws, db, catalogue):
    customise("amazon.titan-text-express-v1", "titan-support")  # Amazon's model: its vendor service is Bedrock
    examples.install(aws, examples.bedrock())

    scan(db, catalogue, services=("bedrock",), cloudtrail=False)

    platform = {row["evidence"]["type"]: row for row in findings(db, service_id="aws-bedrock")}["custom-model"]
    assert platform["evidence"]["model"] == "amazon.titan-text-express-v1"
    assert [row["service_id"] for row in findings(db, location=platform["location"])] == ["aws-bedrock"]


def test_cloudtrail_invocations_per_principal_carry_over_to_the_model_vendor(aws, db, catalogue):
    now = examples.now_utc()
    aws.answer("cloudtrail", "LookupEvents", *examples.trail_pages(now))
    examples.install(aws, examples.bedrock())

    scan(db, catalogue, services=("bedrock",))

    claude = f"aws/{MAIN_ACCOUNT}/us-east-1/bedrock/{examples.CLAUDE}"
    llama = f"aws/{MAIN_ACCOUNT}/us-east-1/bedrock/{examples.LLAMA}"
    vendors = {(row["service_id"], row["subject"], row["location"], row["evidence"]["action"]): row["hits"]
               for row in findings(db) if row["matched_by"].startswith("models:") and "action" in row["evidence"]}
    assert vendors == {
        ("anthropic-api", examples.ALICE, claude, "InvokeModel"): 3,
        ("anthropic-api", examples.BOT, claude, "InvokeModelWithResponseStream"): 2,
        ("llama-api", examples.ALICE, llama, "Converse"): 1,
    }
    platform = {(row["subject"], row["location"]): row for row in findings(db, service_id="aws-bedrock")}
    alice = findings(db, service_id="anthropic-api", subject=examples.ALICE, location=claude)[0]
    assert alice["last_seen"] == platform[(examples.ALICE, claude)]["last_seen"]
    assert alice["evidence"]["via"] == "aws-bedrock" and alice["evidence"]["window"] == "90d"
