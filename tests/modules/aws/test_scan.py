"""`scan aws` end to end: boto3 → AwsFront → moto, resources created with boto3 first."""

from __future__ import annotations

import json

import pytest

from scanner.modules.aws.scan import AwsScan, AwsScanOptions
from tests.modules.aws import api_examples as examples
from tests.modules.aws.conftest import MAIN_ACCOUNT, assumed, session

ROLE = f"arn:aws:iam::{MAIN_ACCOUNT}:role/service-role"


def scan(db, catalogue, **options):
    gaps = []
    options.setdefault("regions", ("us-east-1",))
    options.setdefault("cost", False)
    result = AwsScan(db, catalogue, AwsScanOptions(**options), on_gap=lambda what, why: gaps.append((what, why))).run()
    return result, gaps


def findings(db, **where):
    rows = [dict(row, evidence=json.loads(row["evidence"])) for row in db.query("select * from findings")]
    return [row for row in rows if all(row[key] == value for key, value in where.items())]


def by_location(db):
    """The platform's finding at each location (a model's vendor finding shares its location: see test_models)."""
    return {row["location"]: row for row in findings(db) if not row["matched_by"].startswith("models:")}


def create_sagemaker(boto):
    sagemaker = boto.client("sagemaker")
    sagemaker.create_model(ModelName="churn-xgb", ExecutionRoleArn=ROLE, PrimaryContainer={"Image": "xgboost:1"})
    sagemaker.create_endpoint_config(EndpointConfigName="churn-config", ProductionVariants=[{
        "VariantName": "AllTraffic", "ModelName": "churn-xgb", "InitialInstanceCount": 1,
        "InstanceType": "ml.m5.large"}])
    sagemaker.create_endpoint(EndpointName="churn", EndpointConfigName="churn-config")
    sagemaker.create_notebook_instance(NotebookInstanceName="research", InstanceType="ml.t3.medium", RoleArn=ROLE)


def create_bedrock(boto):
    bedrock = boto.client("bedrock")
    bedrock.create_model_customization_job(
        jobName="tune-titan", customModelName="titan-support", roleArn=ROLE,
        baseModelIdentifier="amazon.titan-text-express-v1", trainingDataConfig={"s3Uri": "s3://train/data.jsonl"},
        outputDataConfig={"s3Uri": "s3://train/out/"}, hyperParameters={"epochCount": "1"})
    bedrock.put_model_invocation_logging_configuration(loggingConfig={
        "s3Config": {"bucketName": "bedrock-logs", "keyPrefix": "invocations/"}, "textDataDeliveryEnabled": True})
    agents = boto.client("bedrock-agent")
    agents.create_agent(agentName="helpdesk", foundationModel=examples.CLAUDE, agentResourceRoleArn=ROLE)
    agents.create_knowledge_base(
        name="handbook", roleArn=ROLE,
        knowledgeBaseConfiguration={"type": "VECTOR", "vectorKnowledgeBaseConfiguration": {
            "embeddingModelArn": examples.foundation_model_arn("us-east-1", "amazon.titan-embed-text-v2:0")}},
        storageConfiguration={"type": "OPENSEARCH_SERVERLESS", "opensearchServerlessConfiguration": {
            "collectionArn": f"arn:aws:aoss:us-east-1:{MAIN_ACCOUNT}:collection/kb", "vectorIndexName": "kb",
            "fieldMapping": {"vectorField": "v", "textField": "t", "metadataField": "m"}}})


def create_language_services(boto):
    boto.client("comprehend").create_entity_recognizer(
        RecognizerName="contracts", LanguageCode="en", DataAccessRoleArn=ROLE,
        InputDataConfig={"EntityTypes": [{"Type": "PARTY"}], "Documents": {"S3Uri": "s3://docs/"}})
    boto.client("transcribe").create_vocabulary(VocabularyName="product-names", LanguageCode="en-US",
                                                Phrases=["shadowai"])
    boto.client("polly").put_lexicon(Name="acronyms", Content=(
        '<?xml version="1.0" encoding="UTF-8"?><lexicon version="1.0" '
        'xmlns="http://www.w3.org/2005/01/pronunciation-lexicon" alphabet="ipa" xml:lang="en-US">'
        '<lexeme><grapheme>W3C</grapheme><alias>World Wide Web Consortium</alias></lexeme></lexicon>'))
    boto.client("lexv2-models").create_bot(
        botName="orders", roleArn=ROLE, dataPrivacy={"childDirected": False}, idleSessionTTLInSeconds=300)


def test_resources_created_in_moto_and_documented_answers_become_findings(aws, db, catalogue):
    boto = session()
    create_sagemaker(boto)
    create_bedrock(boto)
    create_language_services(boto)
    examples.install(aws, examples.bedrock(), examples.other_services())

    result, gaps = scan(db, catalogue, cloudtrail=False)

    assert gaps == []
    assert result.status == "succeeded"
    found = by_location(db)
    region = f"us-east-1:{MAIN_ACCOUNT}"
    expected = {
        f"arn:aws:sagemaker:{region}:endpoint/churn": ("aws-sagemaker", "endpoint"),
        f"arn:aws:sagemaker:{region}:model/churn-xgb": ("aws-sagemaker", "model"),
        f"arn:aws:sagemaker:{region}:notebook-instance/research": ("aws-sagemaker", "notebook-instance"),
        f"arn:aws:sagemaker:{region}:inference-component/llama-ic": ("aws-sagemaker", "inference-component"),
        f"aws/{MAIN_ACCOUNT}/us-east-1/sagemaker/user-profile/data-scientist": ("aws-sagemaker", "user-profile"),
        f"arn:aws:bedrock:{region}:guardrail/gr7abc1234": ("aws-bedrock", "guardrail"),
        f"arn:aws:bedrock:{region}:provisioned-model/pt0claude": ("aws-bedrock", "provisioned-throughput"),
        f"arn:aws:bedrock:{region}:flow/FLOW0001": ("aws-bedrock", "flow"),
        f"aws/{MAIN_ACCOUNT}/us-east-1/bedrock/model-invocation-logging-configuration":
            ("aws-bedrock", "model-invocation-logging-configuration"),
        f"aws/{MAIN_ACCOUNT}/us-east-1/rekognition/collection/visitors": ("aws-rekognition", "collection"),
        f"aws/{MAIN_ACCOUNT}/us-east-1/textract/adapter/1a2b3c4d5e6f": ("aws-textract", "adapter"),
        f"aws/{MAIN_ACCOUNT}/us-east-1/transcribe/vocabulary/product-names": ("aws-transcribe", "vocabulary"),
        f"aws/{MAIN_ACCOUNT}/us-east-1/polly/lexicon/acronyms": ("aws-polly", "lexicon"),
        f"arn:aws:translate:{region}:terminology/brand-names/LATEST": ("aws-translate", "terminology"),
        f"aws/{MAIN_ACCOUNT}/us-east-1/qbusiness/application/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111":
            ("amazon-q", "application"),
    }
    for location, (service_id, kind) in expected.items():
        assert location in found, location
        assert (found[location]["service_id"], found[location]["evidence"]["type"]) == (service_id, kind)
    assert all(row["subject"] == f"aws:{MAIN_ACCOUNT}" for row in found.values())
    # Kendra's second page (after NextToken) is read too.
    kendra = {row["evidence"]["name"] for row in findings(db, service_id="aws-kendra")}
    assert kendra == {"wiki", "hr"}
    # Models are recorded where the API names them: the agent's via GetAgent, the profile's from its ARN.
    models = {row["evidence"]["type"]: row["evidence"].get("model") for row in findings(db, service_id="aws-bedrock")}
    assert models["agent"] == examples.CLAUDE
    assert models["inference-profile"] == examples.CLAUDE
    assert models["custom-model"] == "amazon.titan-text-express-v1"
    assert models["batch-inference-job"] == examples.LLAMA
    logging = found[f"aws/{MAIN_ACCOUNT}/us-east-1/bedrock/model-invocation-logging-configuration"]["evidence"]
    assert logging["s3_bucket"] == "bedrock-logs" and logging["textDataDeliveryEnabled"] == "true"
    assert {row["evidence"]["type"] for row in findings(db, service_id="aws-comprehend")} == {"entity-recognizer"}
    assert {row["evidence"]["type"] for row in findings(db, service_id="aws-lex")} == {"bot"}
    # One finding per resource, plus one for the vendor of each model (agent, profile, batch job, throughput).
    assert result.counts["resources"] + result.counts["model_vendor_findings"] == len(findings(db))


def test_rescan_replaces_counts_instead_of_adding(aws, db, catalogue):
    create_sagemaker(session())
    examples.install(aws, examples.bedrock(), examples.other_services())
    aws.answer("cloudtrail", "LookupEvents", *examples.trail_pages(examples.now_utc()))

    first, _ = scan(db, catalogue, services=("sagemaker", "bedrock"))
    before = {(r["service_id"], r["subject"], r["location"]): r["hits"] for r in findings(db)}
    second, _ = scan(db, catalogue, services=("sagemaker", "bedrock"))
    after = {(r["service_id"], r["subject"], r["location"]): r["hits"] for r in findings(db)}

    assert before == after
    assert sum(after.values()) > len(after)  # the CloudTrail counts are in it, and they did not double
    assert {r["last_run"] for r in findings(db)} == {second.run_id}
    assert first.counts["findings"] == second.counts["findings"]


def test_cloudtrail_counts_bedrock_invocations_per_principal_model_and_action(aws, db, catalogue):
    now = examples.now_utc()
    aws.answer("cloudtrail", "LookupEvents", *examples.trail_pages(now))
    examples.install(aws, examples.bedrock())
    aws.throttle("cloudtrail", "LookupEvents", times=1)  # the adaptive retry absorbs it

    result, gaps = scan(db, catalogue, services=("bedrock",))

    activity = {(row["subject"], row["location"], row["evidence"]["action"]): row
                for row in findings(db, matched_by="cloud") if "window" in row["evidence"]}
    claude = f"aws/{MAIN_ACCOUNT}/us-east-1/bedrock/{examples.CLAUDE}"
    llama = f"aws/{MAIN_ACCOUNT}/us-east-1/bedrock/{examples.LLAMA}"
    assert {key: row["hits"] for key, row in activity.items()} == {
        (examples.ALICE, claude, "InvokeModel"): 3,
        (examples.ALICE, llama, "Converse"): 1,
        (examples.BOT, claude, "InvokeModelWithResponseStream"): 2,
    }
    alice = activity[(examples.ALICE, claude, "InvokeModel")]
    assert alice["service_id"] == "aws-bedrock"
    assert alice["evidence"]["model"] == examples.CLAUDE and alice["evidence"]["window"] == "90d"
    assert alice["last_seen"] < now.strftime("%Y-%m-%dT%H:%M:%SZ")  # the last invocation, not the scan time
    assert result.counts["trail_events"] == 7 and result.counts["bedrock_invocations"] == 6
    assert aws.called("cloudtrail", "LookupEvents") == ["us-east-1"] * 3  # throttled once, then two pages
    assert not [gap for gap in gaps if "LookupEvents" in gap[0]]


def test_cloudtrail_read_stops_at_the_event_limit_and_says_so(aws, db, catalogue):
    aws.answer("cloudtrail", "LookupEvents", *examples.trail_pages(examples.now_utc()))
    examples.install(aws, examples.bedrock())

    result, gaps = scan(db, catalogue, services=("bedrock",), max_trail_events=3)

    assert aws.called("cloudtrail", "LookupEvents") == ["us-east-1"]  # the second page was not asked for
    assert [what for what, why in gaps if "LookupEvents" in what] == [
        f"aws account {MAIN_ACCOUNT} cloudtrail:LookupEvents in us-east-1"]
    assert result.status == "partial"


def test_organisation_accounts_are_scanned_through_the_assumed_role(aws, db, catalogue):
    organizations = session().client("organizations")
    organizations.create_organization(FeatureSet="ALL")
    members = []
    for name in ("research", "marketing"):
        status = organizations.create_account(AccountName=name, Email=f"{name}@example.com")["CreateAccountStatus"]
        members.append(status["AccountId"])
    for index, member in enumerate(members):
        boto = assumed(f"arn:aws:iam::{member}:role/OrganizationAccountAccessRole")
        boto.client("sagemaker").create_notebook_instance(
            NotebookInstanceName=f"nb-{index}", InstanceType="ml.t3.medium", RoleArn=ROLE)
    session().client("sagemaker").create_notebook_instance(
        NotebookInstanceName="nb-main", InstanceType="ml.t3.medium", RoleArn=ROLE)
    examples.install(aws, examples.other_services())  # SageMaker lists moto lacks, answered in every account

    result, gaps = scan(db, catalogue, services=("sagemaker",), cloudtrail=False,
                        org_role="OrganizationAccountAccessRole")

    assert gaps == []
    notebooks = {row["subject"]: row["location"] for row in findings(db, service_id="aws-sagemaker")
                 if row["evidence"]["type"] == "notebook-instance"}
    assert notebooks == {
        f"aws:{MAIN_ACCOUNT}": f"arn:aws:sagemaker:us-east-1:{MAIN_ACCOUNT}:notebook-instance/nb-main",
        f"aws:{members[0]}": f"arn:aws:sagemaker:us-east-1:{members[0]}:notebook-instance/nb-0",
        f"aws:{members[1]}": f"arn:aws:sagemaker:us-east-1:{members[1]}:notebook-instance/nb-1",
    }
    assert result.counts["accounts"] == 3
    assert aws.called("sts", "POST /").count("us-east-1") >= 3  # GetCallerIdentity and two AssumeRole calls


def test_a_region_not_enabled_is_a_gap_per_api_and_the_other_region_is_still_read(aws, db, catalogue):
    create_sagemaker(session())
    aws.disabled_regions.add("eu-south-1")
    examples.install(aws, examples.other_services())

    result, gaps = scan(db, catalogue, services=("sagemaker",), cloudtrail=False,
                        regions=("us-east-1", "eu-south-1"))

    denied = {what: why for what, why in gaps}
    assert f"aws account {MAIN_ACCOUNT} sagemaker:ListEndpoints in eu-south-1" in denied
    assert denied[f"aws account {MAIN_ACCOUNT} sagemaker:ListEndpoints in eu-south-1"].startswith(
        "denied: UnrecognizedClientException")
    assert len(gaps) == 8  # one per SageMaker list operation, each naming the account, API and region
    assert all("eu-south-1" in what and "us-east-1" not in what for what in denied)
    assert f"arn:aws:sagemaker:us-east-1:{MAIN_ACCOUNT}:endpoint/churn" in by_location(db)
    assert result.status == "partial"


def test_services_not_offered_in_a_region_are_not_called(aws, db, catalogue):
    # botocore's endpoint data: Kendra and Comprehend are not offered in af-south-1.
    result, gaps = scan(db, catalogue, services=("kendra", "comprehend"), cloudtrail=False, regions=("af-south-1",))

    assert gaps == [] and result.status == "succeeded"
    assert [call for call in aws.calls if call[0] in ("kendra", "comprehend")] == []
    assert result.counts["service_regions_not_offered"] == 2


def test_unreadable_credentials_fail_the_run_with_a_gap(aws, db, catalogue, monkeypatch):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.delenv(name)

    result, gaps = scan(db, catalogue)

    assert result.status == "failed"
    assert gaps and gaps[0][0] == "aws credentials" and "no AWS credentials" in gaps[0][1]


@pytest.mark.parametrize("answer, expected", [
    ({"ResultsByTime": [{"TimePeriod": {"Start": "2026-10-31", "End": "2026-11-01"}, "Total": {}, "Groups": [
        {"Keys": ["Amazon Bedrock"], "Metrics": {"UnblendedCost": {"Amount": "12.5", "Unit": "USD"}}},
        {"Keys": ["Claude 3.5 Sonnet (Amazon Bedrock Edition)"],
         "Metrics": {"UnblendedCost": {"Amount": "40.004", "Unit": "USD"}}},
        {"Keys": ["Amazon Simple Storage Service"], "Metrics": {"UnblendedCost": {"Amount": "99", "Unit": "USD"}}},
        {"Keys": ["Amazon SageMaker"], "Metrics": {"UnblendedCost": {"Amount": "3.10", "Unit": "USD"}}},
    ], "Estimated": True}]},
     {"Amazon Bedrock": ("aws-bedrock", "12.50"), "Claude 3.5 Sonnet (Amazon Bedrock Edition)": ("aws-bedrock", "40.00"),
      "Amazon SageMaker": ("aws-sagemaker", "3.10")}),
    ({"ResultsByTime": []}, {}),
])
def test_cost_explorer_spend_per_ai_service_is_recorded(aws, db, catalogue, moto_url, answer, expected):
    from tests.modules.aws.conftest import set_cost_results

    set_cost_results(moto_url, answer)

    result, gaps = scan(db, catalogue, services=("polly",), cloudtrail=False, cost=True)

    spend = {row["evidence"]["billing_service"]: (row["service_id"], row["evidence"]["cost"])
             for row in by_location(db).values() if row["evidence"].get("action") == "spend"}
    assert spend == expected
    # A model billed as its own Bedrock line is its vendor's evidence too, with the same spend.
    vendors = {(row["service_id"], row["evidence"]["model"], row["evidence"]["cost"], row["evidence"]["via"])
               for row in findings(db) if row["matched_by"].startswith("models:")}
    assert vendors == ({("anthropic-api", "Claude 3.5 Sonnet", "40.00", "aws-bedrock")}
                       if "Claude 3.5 Sonnet (Amazon Bedrock Edition)" in expected else set())
    assert gaps == []
    assert all(row["subject"] == f"aws:{MAIN_ACCOUNT}" for row in findings(db))


def test_permissions_denied_by_iam_are_gaps_and_the_rest_of_the_account_is_read(aws, db, catalogue, moto_url,
                                                                                 monkeypatch):
    """moto's IAM enforcement: the scanner user may not read Cost Explorer; the member account's role may not
    call SageMaker. Both are coverage gaps naming account, API and region; Transcribe in the member is still read.
    (moto's signature check fails for REST-JSON GET requests, so only POST-based APIs are used here.)"""
    from tests.modules.aws.conftest import enforce_iam

    iam = session().client("iam")
    user = iam.create_user(UserName="scanner")["User"]
    iam.put_user_policy(UserName="scanner", PolicyName="read", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"},
                                               {"Effect": "Deny", "Action": "ce:*", "Resource": "*"}]}))
    key = iam.create_access_key(UserName="scanner")["AccessKey"]
    organizations = session().client("organizations")
    organizations.create_organization(FeatureSet="ALL")
    member = organizations.create_account(AccountName="lab", Email="lab@example.com")["CreateAccountStatus"]["AccountId"]
    lab = assumed(f"arn:aws:iam::{member}:role/bootstrap")
    lab.client("iam").create_role(RoleName="Audit", AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": user["Arn"]},
                                               "Action": "sts:AssumeRole"}]}))
    lab.client("iam").put_role_policy(RoleName="Audit", PolicyName="read", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"},
                                               {"Effect": "Deny", "Action": "sagemaker:*", "Resource": "*"}]}))
    lab.client("transcribe").create_vocabulary(VocabularyName="lab-terms", LanguageCode="en-US", Phrases=["lab"])
    create_sagemaker(session())
    examples.install(aws, examples.other_services())
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", key["AccessKeyId"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", key["SecretAccessKey"])
    enforce_iam(moto_url)

    result, gaps = scan(db, catalogue, services=("sagemaker", "transcribe"), cloudtrail=False, cost=True,
                        org_role="Audit")

    reasons = dict(gaps)
    for operation in ("ListEndpoints", "ListModels", "ListNotebookInstances", "ListDomains", "ListTrainingJobs"):
        why = reasons[f"aws account {member} sagemaker:{operation} in us-east-1"]
        assert why.startswith("denied: "), why  # moto answers 403 with an XML body JSON clients cannot parse
    assert reasons[f"aws account {MAIN_ACCOUNT} ce:GetCostAndUsage in us-east-1"].startswith("denied: ")
    assert not [what for what in reasons if f"account {MAIN_ACCOUNT} sagemaker" in what]
    found = by_location(db)
    assert f"arn:aws:sagemaker:us-east-1:{MAIN_ACCOUNT}:endpoint/churn" in found
    assert found[f"aws/{member}/us-east-1/transcribe/vocabulary/lab-terms"]["subject"] == f"aws:{member}"
    assert len(gaps) == 6
    assert result.status == "partial"


def test_a_stop_request_cancels_the_tasks_not_started_and_records_an_interrupted_run(aws, db, catalogue):
    from scanner.interruption import StopFlag

    create_sagemaker(session())
    stop = StopFlag()
    stop.requested = "SIGTERM"

    result = AwsScan(db, catalogue, AwsScanOptions(regions=("us-east-1",), services=("sagemaker",), cost=False),
                     stop=stop).run()

    assert result.status == "interrupted"
    assert [call for call in aws.calls if call[1].startswith("List")] == []
    gaps = json.loads(next(db.query("select coverage_gaps from runs"))["coverage_gaps"])
    assert gaps[-1]["what"] == "aws scan" and "SIGTERM" in gaps[-1]["why"]


def test_without_an_organisation_only_the_callers_account_is_scanned_and_that_is_a_gap(aws, db, catalogue):
    create_sagemaker(session())
    examples.install(aws, examples.other_services())
    # moto lists no accounts where AWS refuses: the documented error of an account outside any organisation.
    aws.refuse("organizations", "ListAccounts", "AWSOrganizationsNotInUseException",
               "Your account is not a member of an organization.")

    result, gaps = scan(db, catalogue, services=("sagemaker",), cloudtrail=False, org_role="Audit")

    assert [what for what, why in gaps] == [
        f"aws account {MAIN_ACCOUNT} organizations:ListAccounts (organisation accounts)"]
    assert gaps[0][1].startswith("denied: AWSOrganizationsNotInUseException")
    assert {row["subject"] for row in findings(db)} == {f"aws:{MAIN_ACCOUNT}"}
    assert result.counts["accounts"] == 1 and result.status == "partial"
