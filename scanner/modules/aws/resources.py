"""What exists in one account and region: the AI resources each AWS AI service lists.

One ``Lister`` per documented list (or get) operation: which boto3 client, which response key holds the items,
which field is the ARN or id, which holds a model. ``service`` is the API's CloudTrail event-source prefix
(``bedrock``, ``sagemaker``, ``lex``), the identifier the catalogue's ``cloud.aws`` lists use; the catalogue,
not this table, decides which service a resource belongs to.

Jobs (model customisation, batch inference, SageMaker training) are listed for the last ``WINDOW_DAYS`` only
(server-side ``…TimeAfter`` filters): older jobs are history, not current use. Inference profiles are listed
with ``typeEquals=APPLICATION``: the system-defined cross-region profiles exist in every account and say nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Iterator

from scanner import observations as obs
from scanner.clients.aws import AwsAccount

SOURCE = "aws"
WINDOW_DAYS = 90
MAX_DETAILS = 6


def model_id(value: Any) -> str | None:
    """A Bedrock model id from an id or ARN: ``…:foundation-model/anthropic.claude-3-haiku…`` → the id."""
    if not value or not isinstance(value, str):
        return None
    for marker in (":foundation-model/", ":inference-profile/"):  # not ':application-inference-profile/'
        if value.startswith("arn:") and marker in value:
            return value.rsplit(marker, 1)[1]
    return value


def first_model(item: dict[str, Any]) -> str | None:
    models = item.get("models") or []
    return model_id(models[0].get("modelArn")) if models and isinstance(models[0], dict) else None


@dataclass(frozen=True)
class Lister:
    client: str  # boto3 client name
    operation: str  # API operation
    items: str  # response key holding the list
    type: str  # resource type recorded
    service: str  # CloudTrail event-source prefix = catalogue cloud.aws identifier
    arn: str | None = None  # field with the ARN, when the summary has one
    id: str | None = None  # field with the id otherwise
    name: str | None = None  # field with a display name
    model: str | Callable[[dict[str, Any]], str | None] | None = None
    details: tuple[str, ...] = ()  # scalar fields kept with the evidence
    params: dict[str, Any] = field(default_factory=dict)
    since: str | None = None  # request parameter for "created after" (jobs)
    describe: tuple[str, str, str, str] | None = None  # (operation, parameter, item field, response key)

    @property
    def api(self) -> str:
        return f"{self.client}:{self.operation}"


LISTERS: tuple[Lister, ...] = (
    # Amazon Bedrock
    Lister("bedrock", "ListCustomModels", "modelSummaries", "custom-model", "bedrock", arn="modelArn",
           name="modelName", model=lambda i: model_id(i.get("baseModelArn")), details=("customizationType",)),
    Lister("bedrock", "ListImportedModels", "modelSummaries", "imported-model", "bedrock", arn="modelArn",
           name="modelName", details=("modelArchitecture",)),
    Lister("bedrock", "ListModelCustomizationJobs", "modelCustomizationJobSummaries", "model-customization-job",
           "bedrock", arn="jobArn", name="jobName", model=lambda i: model_id(i.get("baseModelArn")),
           details=("status", "customizationType"), since="creationTimeAfter"),
    Lister("bedrock", "ListProvisionedModelThroughputs", "provisionedModelSummaries", "provisioned-throughput",
           "bedrock", arn="provisionedModelArn", name="provisionedModelName",
           model=lambda i: model_id(i.get("foundationModelArn") or i.get("modelArn")),
           details=("status", "modelUnits", "commitmentDuration")),
    Lister("bedrock", "ListInferenceProfiles", "inferenceProfileSummaries", "inference-profile", "bedrock",
           arn="inferenceProfileArn", name="inferenceProfileName", model=first_model, details=("status",),
           params={"typeEquals": "APPLICATION"}),
    Lister("bedrock", "ListGuardrails", "guardrails", "guardrail", "bedrock", arn="arn", name="name",
           details=("status", "version")),
    Lister("bedrock", "ListModelInvocationJobs", "invocationJobSummaries", "batch-inference-job", "bedrock",
           arn="jobArn", name="jobName", model=lambda i: model_id(i.get("modelId")), details=("status",),
           since="submitTimeAfter"),
    # Agents for Amazon Bedrock (IAM prefix and CloudTrail source: bedrock)
    Lister("bedrock-agent", "ListAgents", "agentSummaries", "agent", "bedrock", id="agentId", name="agentName",
           model="foundationModel", details=("agentStatus",), describe=("GetAgent", "agentId", "agentId", "agent")),
    Lister("bedrock-agent", "ListKnowledgeBases", "knowledgeBaseSummaries", "knowledge-base", "bedrock",
           id="knowledgeBaseId", name="name", details=("status",)),
    Lister("bedrock-agent", "ListFlows", "flowSummaries", "flow", "bedrock", arn="arn", name="name",
           details=("status",)),
    Lister("bedrock-agent", "ListPrompts", "promptSummaries", "prompt", "bedrock", arn="arn", name="name",
           details=("version",)),
    # Amazon Bedrock AgentCore
    Lister("bedrock-agentcore-control", "ListAgentRuntimes", "agentRuntimes", "agent-runtime", "bedrock-agentcore",
           arn="agentRuntimeArn", name="agentRuntimeName", details=("status",)),
    Lister("bedrock-agentcore-control", "ListGateways", "items", "gateway", "bedrock-agentcore", id="gatewayId",
           name="name", details=("status",)),
    Lister("bedrock-agentcore-control", "ListMemories", "memories", "memory", "bedrock-agentcore", arn="arn",
           details=("status",)),
    # Amazon SageMaker AI
    Lister("sagemaker", "ListEndpoints", "Endpoints", "endpoint", "sagemaker", arn="EndpointArn",
           name="EndpointName", details=("EndpointStatus",)),
    Lister("sagemaker", "ListInferenceComponents", "InferenceComponents", "inference-component", "sagemaker",
           arn="InferenceComponentArn", name="InferenceComponentName",
           details=("EndpointName", "InferenceComponentStatus")),
    Lister("sagemaker", "ListModels", "Models", "model", "sagemaker", arn="ModelArn", name="ModelName"),
    Lister("sagemaker", "ListNotebookInstances", "NotebookInstances", "notebook-instance", "sagemaker",
           arn="NotebookInstanceArn", name="NotebookInstanceName",
           details=("NotebookInstanceStatus", "InstanceType")),
    Lister("sagemaker", "ListDomains", "Domains", "domain", "sagemaker", arn="DomainArn", name="DomainName",
           details=("DomainId", "Status")),
    Lister("sagemaker", "ListUserProfiles", "UserProfiles", "user-profile", "sagemaker", id="UserProfileName",
           details=("DomainId", "Status")),
    Lister("sagemaker", "ListSpaces", "Spaces", "space", "sagemaker", id="SpaceName", details=("DomainId", "Status")),
    Lister("sagemaker", "ListTrainingJobs", "TrainingJobSummaries", "training-job", "sagemaker",
           arn="TrainingJobArn", name="TrainingJobName", details=("TrainingJobStatus",), since="CreationTimeAfter"),
    # Amazon Comprehend (custom models and their endpoints)
    Lister("comprehend", "ListEndpoints", "EndpointPropertiesList", "endpoint", "comprehend", arn="EndpointArn",
           model="ModelArn", details=("Status",)),
    Lister("comprehend", "ListDocumentClassifiers", "DocumentClassifierPropertiesList", "document-classifier",
           "comprehend", arn="DocumentClassifierArn", details=("Status", "LanguageCode")),
    Lister("comprehend", "ListEntityRecognizers", "EntityRecognizerPropertiesList", "entity-recognizer",
           "comprehend", arn="EntityRecognizerArn", details=("Status", "LanguageCode")),
    Lister("comprehend", "ListFlywheels", "FlywheelSummaryList", "flywheel", "comprehend", arn="FlywheelArn",
           model="ActiveModelArn", details=("Status", "ModelType")),
    # Amazon Rekognition
    Lister("rekognition", "ListCollections", "CollectionIds", "collection", "rekognition", id="id"),
    Lister("rekognition", "DescribeProjects", "ProjectDescriptions", "custom-labels-project", "rekognition",
           arn="ProjectArn", details=("Status", "Feature")),
    Lister("rekognition", "ListStreamProcessors", "StreamProcessors", "stream-processor", "rekognition", id="Name",
           details=("Status",)),
    # Amazon Textract
    Lister("textract", "ListAdapters", "Adapters", "adapter", "textract", id="AdapterId", name="AdapterName"),
    # Amazon Transcribe
    Lister("transcribe", "ListVocabularies", "Vocabularies", "vocabulary", "transcribe", id="VocabularyName",
           details=("LanguageCode", "VocabularyState")),
    Lister("transcribe", "ListLanguageModels", "Models", "language-model", "transcribe", id="ModelName",
           model="BaseModelName", details=("LanguageCode", "ModelStatus")),
    Lister("transcribe", "ListCallAnalyticsCategories", "Categories", "call-analytics-category", "transcribe",
           id="CategoryName"),
    # Amazon Translate
    Lister("translate", "ListTerminologies", "TerminologyPropertiesList", "terminology", "translate", arn="Arn",
           name="Name", details=("SourceLanguageCode",)),
    Lister("translate", "ListParallelData", "ParallelDataPropertiesList", "parallel-data", "translate", arn="Arn",
           name="Name", details=("Status",)),
    # Amazon Polly
    Lister("polly", "ListLexicons", "Lexicons", "lexicon", "polly", id="Name"),
    # Amazon Lex V2
    Lister("lexv2-models", "ListBots", "botSummaries", "bot", "lex", id="botId", name="botName",
           details=("botStatus", "botType")),
    # Amazon Kendra
    Lister("kendra", "ListIndices", "IndexConfigurationSummaryItems", "index", "kendra", id="Id", name="Name",
           details=("Edition", "Status")),
    # Amazon Q Business
    Lister("qbusiness", "ListApplications", "applications", "application", "qbusiness", id="applicationId",
           name="displayName", details=("status", "identityType")),
)

CLIENTS: tuple[str, ...] = tuple(dict.fromkeys(lister.client for lister in LISTERS))


def location(account: str, region: str, lister: Lister, resource_id: str) -> str:
    """The finding's location: the ARN when AWS gives one, else account/region/client/type/id."""
    return f"aws/{account}/{region}/{lister.client}/{lister.type}/{resource_id}"


def _scalar(value: Any) -> str | None:
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value)[:200]
    return None


def observation(lister: Lister, item: dict[str, Any], account: str, region: str) -> obs.CloudResource | None:
    arn = item.get(lister.arn) if lister.arn else None
    identity = arn or (item.get(lister.id) if lister.id else None)
    if not identity:
        return None
    if callable(lister.model):
        model = lister.model(item)
    else:
        model = model_id(item.get(lister.model)) if lister.model else None
    fields = ((("name", lister.name),) if lister.name else ()) + tuple((key, key) for key in lister.details)
    details = tuple((label, text) for label, key in fields[:MAX_DETAILS]
                    if (text := _scalar(item.get(key))) is not None)
    return obs.CloudResource(
        provider="aws", account=account, region=region, service=lister.service, type=lister.type,
        id=str(identity), source=SOURCE,
        location=str(arn) if arn else location(account, region, lister, str(identity)),
        model=model, details=details, ai_api=True,
    )


def list_resources(account: AwsAccount, region: str, lister: Lister, now: datetime,
                   stop: Callable[[], bool] = lambda: False) -> Iterator[obs.CloudResource]:
    """Every resource of one lister in one region; raises AwsCallFailed for the caller to record as a gap."""
    params = dict(lister.params)
    if lister.since:
        params[lister.since] = now - timedelta(days=WINDOW_DAYS)
    for page in account.pages(lister.client, lister.operation, region, **params):
        for raw in page.get(lister.items) or []:
            item = {"id": raw} if isinstance(raw, str) else dict(raw)
            if lister.describe:
                operation, parameter, source_field, key = lister.describe
                described = account.call(lister.client, operation, region, **{parameter: item[source_field]})
                item.update(described.get(key) or {})
            found = observation(lister, item, account.id, region)
            if found is not None:
                yield found
        if stop():
            return


def invocation_logging(account: AwsAccount, region: str) -> obs.CloudResource | None:
    """Bedrock model invocation logging: where prompts and completions are delivered, when it is on."""
    config = account.call("bedrock", "GetModelInvocationLoggingConfiguration", region).get("loggingConfig") or {}
    if not config:
        return None
    details = []
    s3 = config.get("s3Config") or {}
    logs = config.get("cloudWatchConfig") or {}
    if s3.get("bucketName"):
        details.append(("s3_bucket", str(s3["bucketName"])))
    if logs.get("logGroupName"):
        details.append(("log_group", str(logs["logGroupName"])))
    for key in ("textDataDeliveryEnabled", "imageDataDeliveryEnabled", "embeddingDataDeliveryEnabled"):
        if key in config:
            details.append((key, str(bool(config[key])).lower()))
    return obs.CloudResource(
        provider="aws", account=account.id, region=region, service="bedrock",
        type="model-invocation-logging-configuration", id=f"{account.id}/{region}", source=SOURCE,
        location=f"aws/{account.id}/{region}/bedrock/model-invocation-logging-configuration",
        details=tuple(details), ai_api=True,
    )
