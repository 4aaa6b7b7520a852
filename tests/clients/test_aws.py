"""The AWS client: error classification, regions, and paging, against moto on loopback."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError, NoCredentialsError

from scanner.clients.aws import AwsClient, classify
from tests.modules.aws.conftest import MAIN_ACCOUNT, aws, front, moto_url  # noqa: F401 - fixtures


def client_error(code: str, message: str = "nope", status: int = 400) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": message},
                        "ResponseMetadata": {"HTTPStatusCode": status}}, "ListThings")


@pytest.mark.parametrize("error, kind", [
    (client_error("AccessDeniedException", "User is not authorized to perform: bedrock:ListGuardrails"), "denied"),
    (client_error("UnrecognizedClientException", "The security token included in the request is invalid"),
     "denied"),
    (client_error("OptInRequired"), "denied"),
    (client_error("SubscriptionRequiredException"), "denied"),
    (client_error("UnknownOperationException"), "not-offered"),
    (client_error("DataUnavailableException"), "not-offered"),
    (client_error("ValidationException"), "failed"),
    (client_error("InternalServerError", "<html>oops</html>", 500), "failed"),
    (NoCredentialsError(), "denied"),
    (EndpointConnectionError(endpoint_url="https://kendra.af-south-1.amazonaws.com/"), "failed"),
])
def test_errors_are_classified_for_the_coverage_gap(error, kind):
    assert classify(error)[0] == kind


def test_an_html_error_page_is_not_quoted():
    assert classify(client_error("500", "<!doctype html><title>500</title>", 500)) == ("failed", "500")


def test_enabled_regions_leave_out_regions_not_opted_in(aws):
    client = AwsClient()
    account = client.caller()

    regions = client.enabled_regions(account)

    assert account.id == MAIN_ACCOUNT
    assert {"us-east-1", "eu-west-1"} <= set(regions)
    described = account.call("ec2", "DescribeRegions", "us-east-1")["Regions"]
    not_opted_in = {r["RegionName"] for r in described if r.get("OptInStatus") == "not-opted-in"}
    assert not_opted_in and not not_opted_in & set(regions)


def test_a_list_without_a_botocore_paginator_is_followed_by_its_token(aws):
    aws.answer("kendra", "ListIndices", {"IndexConfigurationSummaryItems": [{"Id": "a"}], "NextToken": "t1"},
               {"IndexConfigurationSummaryItems": [{"Id": "b"}], "NextToken": "t2"},
               {"IndexConfigurationSummaryItems": [{"Id": "c"}]})
    account = AwsClient().caller()

    pages = list(account.pages("kendra", "ListIndices", "us-east-1"))

    assert [item["Id"] for page in pages for item in page["IndexConfigurationSummaryItems"]] == ["a", "b", "c"]


def test_a_released_client_is_forgotten_and_the_next_call_makes_a_new_one(aws):
    aws.answer("kendra", "ListIndices", {"IndexConfigurationSummaryItems": [{"Id": "a"}]})
    account = AwsClient().caller()
    first = account.client("kendra", "us-east-1")
    assert account.client("kendra", "us-east-1") is first

    account.release("kendra", "us-east-1")
    account.release("kendra", "us-east-1")  # twice, or for a client never made: nothing to do

    assert account.client("kendra", "us-east-1") is not first
    assert [page["IndexConfigurationSummaryItems"] for page in account.pages("kendra", "ListIndices", "us-east-1")] \
        == [[{"Id": "a"}]]
