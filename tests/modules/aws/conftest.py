"""boto3 against moto's ThreadedMotoServer on 127.0.0.1, behind the AwsFront (tests/support/aws_front.py) for the
operations moto does not implement. Fake credentials in the environment; AWS_ENDPOINT_URL points boto3 at the
front. Every test starts from an empty moto."""

from __future__ import annotations

import json
import logging
import urllib.request

import boto3
import pytest

from tests.support.aws_front import AwsFront

MAIN_ACCOUNT = "123456789012"  # moto's account for any unknown access key


@pytest.fixture(scope="module")
def moto_url():
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture(scope="module")
def front(moto_url):
    with AwsFront(moto_url) as running:
        yield running


def moto_api(moto_url: str, path: str, payload: bytes = b"") -> None:
    request = urllib.request.Request(f"{moto_url}/moto-api/{path}", data=payload, method="POST",
                                     headers={"Content-Type": "text/plain"})
    with urllib.request.urlopen(request, timeout=10) as response:
        response.read()


@pytest.fixture
def aws(monkeypatch, tmp_path, moto_url, front):
    """Fake credentials and the endpoint in the environment, an empty moto, a front with no answers."""
    moto_api(moto_url, "reset")
    front.reset()
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_REGION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing-secret-not-real")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ENDPOINT_URL", front.url)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    yield front
    moto_api(moto_url, "reset-auth", b"inf")


def enforce_iam(moto_url: str) -> None:
    """From now on moto checks every request's signature and the caller's IAM policies."""
    moto_api(moto_url, "reset-auth", b"0")


def set_cost_results(moto_url: str, *responses: dict) -> None:
    """Queue Cost Explorer GetCostAndUsage answers (moto's documented way to give it data)."""
    moto_api(moto_url, "static/ce/cost-and-usage-results", json.dumps({"results": list(responses)}).encode())


def session(**credentials) -> boto3.Session:
    return boto3.Session(region_name="us-east-1", **credentials)


def assumed(role_arn: str) -> boto3.Session:
    """A session with the credentials of an assumed role (moto maps them to the role's account)."""
    found = session().client("sts").assume_role(RoleArn=role_arn, RoleSessionName="setup")["Credentials"]
    return session(aws_access_key_id=found["AccessKeyId"], aws_secret_access_key=found["SecretAccessKey"],
                   aws_session_token=found["SessionToken"])
