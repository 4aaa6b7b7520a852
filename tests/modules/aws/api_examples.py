"""Responses shaped as the AWS API references document them, for operations moto does not implement.

Each entry: (signing service, operation as the front sees it, response pages). REST-JSON operations are keyed by
method and path, JSON-protocol ones by their X-Amz-Target operation name. Times are epoch seconds, as the JSON
protocols carry them. Values are made up; names and nesting follow the API reference of each operation.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

ACCOUNT = "123456789012"
CREATED = 1767225600  # 2026-01-01T00:00:00Z
CLAUDE = "anthropic.claude-3-5-sonnet-20240620-v1:0"
LLAMA = "meta.llama3-1-70b-instruct-v1:0"


def foundation_model_arn(region: str, model: str) -> str:
    return f"arn:aws:bedrock:{region}::foundation-model/{model}"


def bedrock(region: str = "us-east-1") -> list[tuple[str, str, list[dict]]]:
    return [
        ("bedrock", "GET /guardrails", [{"guardrails": [{
            "id": "gr7abc1234", "arn": f"arn:aws:bedrock:{region}:{ACCOUNT}:guardrail/gr7abc1234",
            "status": "READY", "name": "pii-filter", "version": "DRAFT", "createdAt": "2026-01-01T00:00:00Z",
            "updatedAt": "2026-01-02T00:00:00Z"}]}]),
        ("bedrock", "GET /inference-profiles", [{"inferenceProfileSummaries": [{
            "inferenceProfileName": "support-bot", "inferenceProfileId": "ip0support",
            "inferenceProfileArn": f"arn:aws:bedrock:{region}:{ACCOUNT}:application-inference-profile/ip0support",
            "models": [{"modelArn": foundation_model_arn(region, CLAUDE)}], "status": "ACTIVE",
            "type": "APPLICATION", "createdAt": "2026-01-01T00:00:00Z"}]}]),
        ("bedrock", "GET /provisioned-model-throughputs", [{"provisionedModelSummaries": [{
            "provisionedModelName": "claude-pt",
            "provisionedModelArn": f"arn:aws:bedrock:{region}:{ACCOUNT}:provisioned-model/pt0claude",
            "modelArn": foundation_model_arn(region, CLAUDE), "desiredModelArn": foundation_model_arn(region, CLAUDE),
            "foundationModelArn": foundation_model_arn(region, CLAUDE), "modelUnits": 1, "desiredModelUnits": 1,
            "status": "InService", "commitmentDuration": "OneMonth", "creationTime": "2026-01-01T00:00:00Z",
            "lastModifiedTime": "2026-01-01T00:00:00Z"}]}]),
        ("bedrock", "GET /imported-models", [{"modelSummaries": [{
            "modelArn": f"arn:aws:bedrock:{region}:{ACCOUNT}:imported-model/im0mistral", "modelName": "my-mistral",
            "creationTime": "2026-01-01T00:00:00Z", "instructSupported": True, "modelArchitecture": "mistral"}]}]),
        ("bedrock", "GET /model-invocation-jobs", [{"invocationJobSummaries": [{
            "jobArn": f"arn:aws:bedrock:{region}:{ACCOUNT}:model-invocation-job/batch0001", "jobName": "nightly",
            "modelId": LLAMA, "roleArn": f"arn:aws:iam::{ACCOUNT}:role/batch", "status": "Completed",
            "submitTime": "2026-01-01T00:00:00Z",
            "inputDataConfig": {"s3InputDataConfig": {"s3Uri": "s3://in/"}},
            "outputDataConfig": {"s3OutputDataConfig": {"s3Uri": "s3://out/"}}}]}]),
        ("bedrock", "GET /flows/", [{"flowSummaries": [{
            "name": "triage", "id": "FLOW0001", "arn": f"arn:aws:bedrock:{region}:{ACCOUNT}:flow/FLOW0001",
            "status": "Prepared", "createdAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-01T00:00:00Z",
            "version": "DRAFT"}]}]),
        ("bedrock", "GET /prompts/", [{"promptSummaries": [{
            "name": "summarise", "id": "PROMPT0001", "arn": f"arn:aws:bedrock:{region}:{ACCOUNT}:prompt/PROMPT0001",
            "version": "DRAFT", "createdAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-01T00:00:00Z"}]}]),
    ]


def other_services(region: str = "us-east-1") -> list[tuple[str, str, list[dict]]]:
    return [
        ("sagemaker", "ListInferenceComponents", [{"InferenceComponents": [{
            "CreationTime": CREATED, "LastModifiedTime": CREATED, "InferenceComponentName": "llama-ic",
            "InferenceComponentArn": f"arn:aws:sagemaker:{region}:{ACCOUNT}:inference-component/llama-ic",
            "EndpointArn": f"arn:aws:sagemaker:{region}:{ACCOUNT}:endpoint/shared", "EndpointName": "shared",
            "VariantName": "AllTraffic", "InferenceComponentStatus": "InService"}]}]),
        ("sagemaker", "ListUserProfiles", [{"UserProfiles": [{
            "DomainId": "d-abc123", "UserProfileName": "data-scientist", "Status": "InService",
            "CreationTime": CREATED}]}]),
        ("sagemaker", "ListSpaces", [{"Spaces": [{
            "DomainId": "d-abc123", "SpaceName": "team-space", "Status": "InService", "CreationTime": CREATED}]}]),
        ("rekognition", "ListCollections", [{"CollectionIds": ["visitors"], "FaceModelVersions": ["7.0"]}]),
        ("rekognition", "DescribeProjects", [{"ProjectDescriptions": [{
            "ProjectArn": f"arn:aws:rekognition:{region}:{ACCOUNT}:project/defects/1700000000000",
            "CreationTimestamp": CREATED, "Status": "CREATED", "Feature": "CUSTOM_LABELS"}]}]),
        ("rekognition", "ListStreamProcessors", [{"StreamProcessors": [{"Name": "door-cam", "Status": "STOPPED"}]}]),
        ("textract", "ListAdapters", [{"Adapters": [{
            "AdapterId": "1a2b3c4d5e6f", "AdapterName": "invoices", "CreationTime": CREATED,
            "FeatureTypes": ["QUERIES"]}]}]),
        ("transcribe", "ListLanguageModels", [{"Models": [{
            "ModelName": "legal-terms", "CreateTime": CREATED, "LanguageCode": "en-US",
            "BaseModelName": "WideBand", "ModelStatus": "COMPLETED"}]}]),
        ("transcribe", "ListCallAnalyticsCategories", [{"Categories": [{"CategoryName": "complaints"}]}]),
        ("translate", "ListTerminologies", [{"TerminologyPropertiesList": [{
            "Name": "brand-names", "Arn": f"arn:aws:translate:{region}:{ACCOUNT}:terminology/brand-names/LATEST",
            "SourceLanguageCode": "en", "TargetLanguageCodes": ["de", "fr"], "TermCount": 12}]}]),
        ("translate", "ListParallelData", [{"ParallelDataPropertiesList": []}]),
        ("kendra", "ListIndices", [
            {"IndexConfigurationSummaryItems": [{
                "Name": "wiki", "Id": "0123456789abcdef0123456789abcdef0123", "Edition": "ENTERPRISE_EDITION",
                "CreatedAt": CREATED, "UpdatedAt": CREATED, "Status": "ACTIVE"}], "NextToken": "page-2"},
            {"IndexConfigurationSummaryItems": [{
                "Name": "hr", "Id": "fedcba9876543210fedcba9876543210fedc", "Edition": "DEVELOPER_EDITION",
                "CreatedAt": CREATED, "UpdatedAt": CREATED, "Status": "ACTIVE"}]},
        ]),
        ("qbusiness", "GET /applications", [{"applications": [{
            "displayName": "company-assistant", "applicationId": "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111",
            "createdAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-01T00:00:00Z", "status": "ACTIVE",
            "identityType": "AWS_IAM_IDC"}]}]),
    ]


def trail_event(name: str, principal: str, model: str, when: datetime, region: str = "us-east-1") -> dict:
    """One LookupEvents ``Events`` entry; ``CloudTrailEvent`` is the event record as a JSON string."""
    record = {
        "eventVersion": "1.09",
        "userIdentity": {"type": "AssumedRole", "principalId": "AROAEXAMPLE:session", "arn": principal,
                         "accountId": ACCOUNT},
        "eventTime": when.strftime("%Y-%m-%dT%H:%M:%SZ"), "eventSource": "bedrock.amazonaws.com",
        "eventName": name, "awsRegion": region, "sourceIPAddress": "198.51.100.7",
        "requestParameters": {"modelId": model}, "responseElements": None, "readOnly": True,
        "eventType": "AwsApiCall", "managementEvent": True, "recipientAccountId": ACCOUNT,
    }
    return {"EventId": f"ev-{name}-{int(when.timestamp())}", "EventName": name, "ReadOnly": "true",
            "EventTime": int(when.timestamp()), "EventSource": "bedrock.amazonaws.com",
            "Username": principal.rsplit("/", 1)[-1], "Resources": [], "CloudTrailEvent": json.dumps(record)}


ALICE = f"arn:aws:sts::{ACCOUNT}:assumed-role/DataScience/alice@example.com"
BOT = f"arn:aws:sts::{ACCOUNT}:assumed-role/support-bot-lambda/support-bot"


def trail_pages(now: datetime) -> list[dict]:
    """Two pages: Alice invokes Claude three times (one by its foundation-model ARN) and converses with Llama
    once; the support bot streams from Claude twice; a ListFoundationModels call is not an invocation."""
    day = timedelta(days=1)
    return [
        {"Events": [
            trail_event("InvokeModel", ALICE, CLAUDE, now - 2 * day),
            trail_event("InvokeModel", ALICE, foundation_model_arn("us-east-1", CLAUDE), now - 3 * day),
            trail_event("ListFoundationModels", ALICE, "", now - 3 * day),
            trail_event("InvokeModelWithResponseStream", BOT, CLAUDE, now - 4 * day),
        ], "NextToken": "trail-page-2"},
        {"Events": [
            trail_event("InvokeModel", ALICE, CLAUDE, now - 10 * day),
            trail_event("Converse", ALICE, LLAMA, now - 20 * day),
            trail_event("InvokeModelWithResponseStream", BOT, CLAUDE, now - 30 * day),
        ]},
    ]


def install(front, *groups: list[tuple[str, str, list[dict]]]) -> None:
    for group in groups:
        for service, operation, pages in group:
            front.answer(service, operation, *pages)


def now_utc() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)
