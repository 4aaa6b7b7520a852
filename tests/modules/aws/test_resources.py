"""The lister table against botocore's own service models, and what becomes an observation."""

from __future__ import annotations

import functools

import boto3
import pytest

from scanner import observations as obs
from scanner.findings import UNKNOWN_CLOUD_AI, match_observation
from scanner.modules.aws import resources
from scanner.modules.aws.usage import SPEND_SERVICES

EVIDENCE_KEYS = {"region", "type", "id", "model", "name"}  # set by the matcher; a detail must not overwrite them


@functools.lru_cache(maxsize=None)
def client(name: str):
    return boto3.session.Session(region_name="us-east-1").client(
        name, aws_access_key_id="x", aws_secret_access_key="x")


@pytest.mark.parametrize("lister", resources.LISTERS, ids=lambda lister: lister.api)
def test_lister_names_fields_the_api_really_returns(lister):
    model = client(lister.client).meta.service_model
    operation = model.operation_model(lister.operation)
    inputs = operation.input_shape.members
    assert set(lister.params) <= set(inputs)
    if lister.since:
        assert lister.since in inputs
    listed = operation.output_shape.members[lister.items]
    assert listed.type_name == "list"
    if listed.member.type_name == "string":  # a list of ids (Rekognition collections)
        assert (lister.arn, lister.id) == (None, "id")
        return
    fields = set(listed.member.members)
    if lister.describe:
        described, parameter, source_field, key = lister.describe
        assert parameter in model.operation_model(described).input_shape.members and source_field in fields
        fields |= set(model.operation_model(described).output_shape.members[key].members)
    named = [lister.arn, lister.id, lister.name, *lister.details] + (
        [lister.model] if isinstance(lister.model, str) else [])
    assert {name for name in named if name} <= fields
    assert not set(lister.details) & EVIDENCE_KEYS


@pytest.mark.parametrize("lister", resources.LISTERS, ids=lambda lister: lister.api)
def test_every_listed_service_is_in_the_catalogue(lister, catalogue):
    assert catalogue.matcher.match_cloud("aws", lister.service) is not None


@pytest.mark.parametrize("name, identifier", sorted(SPEND_SERVICES.items()))
def test_every_spend_line_maps_to_a_catalogue_service(name, identifier, catalogue):
    assert catalogue.matcher.match_cloud("aws", identifier) is not None, name


def test_every_boto3_client_named_exists():
    available = boto3.session.Session().get_available_services()
    assert set(resources.CLIENTS) <= set(available)


@pytest.mark.parametrize("value, expected", [
    ("anthropic.claude-3-haiku-20240307-v1:0", "anthropic.claude-3-haiku-20240307-v1:0"),
    ("arn:aws:bedrock:us-east-1::foundation-model/meta.llama3-8b-instruct-v1:0", "meta.llama3-8b-instruct-v1:0"),
    ("arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.anthropic.claude-3-5-sonnet-20240620-v1:0",
     "eu.anthropic.claude-3-5-sonnet-20240620-v1:0"),
    ("arn:aws:bedrock:us-east-1:123456789012:custom-model/amazon.titan/abc",
     "arn:aws:bedrock:us-east-1:123456789012:custom-model/amazon.titan/abc"),
    # An application inference profile's id is no model id, though its resource type ends in 'inference-profile'.
    ("arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/sd3k5x7q2m9a",
     "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/sd3k5x7q2m9a"),
    ("", None),
    (None, None),
])
def test_model_id_is_taken_from_ids_and_arns(value, expected):
    assert resources.model_id(value) == expected


def test_a_resource_without_arn_is_located_by_account_region_and_id():
    lister = next(lister for lister in resources.LISTERS if lister.api == "kendra:ListIndices")
    found = resources.observation(lister, {"Id": "idx-1", "Name": "wiki", "Edition": "ENTERPRISE_EDITION"},
                                  "111122223333", "eu-west-1")
    assert found.location == "aws/111122223333/eu-west-1/kendra/index/idx-1"
    assert found.service == "kendra" and found.ai_api
    assert dict(found.details) == {"name": "wiki", "Edition": "ENTERPRISE_EDITION"}


def test_an_item_without_arn_or_id_is_skipped():
    lister = next(lister for lister in resources.LISTERS if lister.api == "sagemaker:ListEndpoints")
    assert resources.observation(lister, {"EndpointStatus": "InService"}, "111122223333", "us-east-1") is None


def resource(service: str, ai_api: bool) -> obs.CloudResource:
    return obs.CloudResource(provider="aws", account="111122223333", region="us-east-1", service=service,
                             type="widget", id="w-1", source="aws", location="aws/111122223333/us-east-1/w-1",
                             ai_api=ai_api)


def test_an_ai_resource_the_catalogue_does_not_know_is_kept_as_unknown_cloud_ai(catalogue):
    finding = match_observation(resource("brand-new-ai-service", ai_api=True), catalogue.matcher)
    assert finding.service_id == UNKNOWN_CLOUD_AI
    assert finding.matched_by == "cloud-unmatched:aws:brand-new-ai-service"
    assert finding.subject == "aws:111122223333"


def test_a_non_ai_resource_the_catalogue_does_not_know_is_dropped(catalogue):
    assert match_observation(resource("s3", ai_api=False), catalogue.matcher) is None
    assert match_observation(resource("sagemaker", ai_api=False), catalogue.matcher).service_id == "aws-sagemaker"
