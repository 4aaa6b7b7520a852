"""`scan aws` fanned out over threads: many tasks at once find what one at a time finds."""

from __future__ import annotations

from scanner.modules.aws.scan import AwsScan, AwsScanOptions
from tests.modules.aws import api_examples as examples
from tests.modules.aws.conftest import session
from tests.modules.aws.test_scan import create_bedrock, create_sagemaker, findings

REGIONS = ("us-east-1", "us-west-2", "eu-west-1", "ap-south-1")


def test_a_parallel_scan_finds_what_a_sequential_scan_finds(aws, tmp_path, catalogue):
    from scanner.inventory.database import open_db

    boto = session()
    create_sagemaker(boto)
    create_bedrock(boto)
    organizations = boto.client("organizations")
    organizations.create_organization(FeatureSet="ALL")
    organizations.create_account(AccountName="research", Email="research@example.com")
    examples.install(aws, examples.bedrock(), examples.other_services())
    aws.answer("cloudtrail", "LookupEvents", *examples.trail_pages(examples.now_utc()))
    results = {}
    for concurrency in (1, 12):
        db = open_db(tmp_path / f"{concurrency}.db")
        options = AwsScanOptions(regions=REGIONS, concurrency=concurrency, cost=False,
                                 org_role="OrganizationAccountAccessRole")
        result = AwsScan(db, catalogue, options).run()
        found = {(row["service_id"], row["subject"], row["location"], row["hits"]) for row in findings(db)}
        results[concurrency] = (result, found)

    (sequential, found_one), (parallel, found_many) = results[1], results[12]
    assert found_many == found_one and len(found_one) > 20
    assert parallel.counts == sequential.counts
    assert parallel.counts["accounts"] == 2 and parallel.counts["account_regions"] == 8
    assert (parallel.status, parallel.gaps) == (sequential.status, sequential.gaps)
