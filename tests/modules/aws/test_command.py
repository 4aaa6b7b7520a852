"""`shadowai scan aws` from the command line, against the moto server behind the front."""

from __future__ import annotations

import json

from scanner.inventory.database import open_db
from tests.cli.runner import shadowai
from tests.modules.aws import api_examples as examples
from tests.modules.aws.conftest import MAIN_ACCOUNT, session


def test_scan_aws_records_findings_and_exits_0(aws, db_path):
    session().client("sagemaker").create_notebook_instance(
        NotebookInstanceName="research", InstanceType="ml.t3.medium",
        RoleArn=f"arn:aws:iam::{MAIN_ACCOUNT}:role/sm")
    examples.install(aws, examples.other_services())

    result = shadowai("scan", "aws", "--regions", "us-east-1", "--services", "sagemaker", "--no-cloudtrail",
                      "--no-cost", "--db", db_path)

    assert result.exit_code == 0, result.output
    rows = list(open_db(db_path).query("select service_id, source, location from findings"))
    assert {"service_id": "aws-sagemaker", "source": "aws",
            "location": f"arn:aws:sagemaker:us-east-1:{MAIN_ACCOUNT}:notebook-instance/research"} in rows
    run = next(open_db(db_path).query("select module, status, parameters from runs"))
    assert (run["module"], run["status"]) == ("aws", "succeeded")
    assert json.loads(run["parameters"])["services"] == ["sagemaker"]


def test_scan_aws_exits_1_and_names_the_gap_when_a_region_is_refused(aws, db_path):
    aws.disabled_regions.add("ap-east-1")

    result = shadowai("scan", "aws", "--regions", "ap-east-1", "--services", "polly", "--no-cloudtrail",
                      "--no-cost", "--db", db_path)

    assert result.exit_code == 1
    assert f"aws account {MAIN_ACCOUNT} polly:ListLexicons in ap-east-1: denied: UnrecognizedClientException" \
        in result.output
    gaps = json.loads(next(open_db(db_path).query("select coverage_gaps from runs"))["coverage_gaps"])
    assert [gap["what"] for gap in gaps] == [f"aws account {MAIN_ACCOUNT} polly:ListLexicons in ap-east-1"]


def test_scan_aws_rejects_an_unknown_service_name(aws, db_path):
    result = shadowai("scan", "aws", "--services", "sagemaker,chatgpt", "--db", db_path)

    assert result.exit_code == 2
    assert "unknown service chatgpt" in result.output
