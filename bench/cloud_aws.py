"""Benchmark `scan aws` fan-out: 3 accounts × 17 regions, 50 ms added to every API call, parallel vs sequential.

moto's server runs in its own process (python -m moto.server); the AwsFront (tests/support/aws_front.py) in front
of it adds the latency and answers, with documented response shapes, the operations moto lacks. An organisation
with two member accounts is created, each account gets a SageMaker notebook, and the same scan (every service,
CloudTrail on, Cost Explorer on) runs twice into fresh inventories: with --concurrency 1 and with the default.
Prints both wall times and the speed-up (target: at least 8×) and checks both found the same findings.

    python bench/cloud_aws.py [--regions 17] [--latency 0.05] [--concurrency 16]
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REGIONS = ("us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "eu-west-1", "eu-west-2",
           "eu-west-3", "eu-central-1", "eu-north-1", "ap-south-1", "ap-northeast-1", "ap-northeast-2",
           "ap-northeast-3", "ap-southeast-1", "ap-southeast-2", "sa-east-1")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"moto server did not start on port {port}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", type=int, default=17)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()

    port = free_port()
    moto = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(port)
        run(f"http://127.0.0.1:{port}", args)
    finally:
        moto.terminate()
        moto.wait(timeout=10)


def run(moto_url: str, args) -> None:
    from tests.support.aws_front import AwsFront
    from tests.modules.aws import api_examples as examples

    os.environ.update(AWS_ACCESS_KEY_ID="AKIAIOSFODNN7EXAMPLE", AWS_SECRET_ACCESS_KEY="bench-not-secret",
                      AWS_DEFAULT_REGION="us-east-1", AWS_EC2_METADATA_DISABLED="true")
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
        os.environ.pop(name, None)
    regions = REGIONS[:args.regions]
    with AwsFront(moto_url) as front:
        os.environ["AWS_ENDPOINT_URL"] = front.url
        import boto3

        organizations = boto3.client("organizations")
        organizations.create_organization(FeatureSet="ALL")
        for name in ("research", "marketing"):
            organizations.create_account(AccountName=name, Email=f"{name}@example.com")
        boto3.client("sagemaker").create_notebook_instance(
            NotebookInstanceName="bench", InstanceType="ml.t3.medium", RoleArn="arn:aws:iam::123456789012:role/x")
        for region in regions:
            examples.install(front, examples.bedrock(region), examples.other_services(region))
        front.answer("cloudtrail", "LookupEvents", *examples.trail_pages(examples.now_utc()))
        front.latency = args.latency

        timings = {}
        findings = {}
        for label, concurrency in (("sequential", 1), ("parallel", args.concurrency)):
            seconds, found, calls = scan(regions, concurrency, front)
            timings[label], findings[label] = seconds, found
            print(f"{label:<10} concurrency {concurrency:>3}: {seconds:7.1f} s, {calls} API calls, "
                  f"{len(found)} findings", flush=True)
    speedup = timings["sequential"] / timings["parallel"]
    print(f"3 accounts × {len(regions)} regions, {args.latency * 1000:.0f} ms per call: "
          f"parallel is {speedup:.1f}× faster than sequential (target ≥ 8×)")
    if findings["sequential"] != findings["parallel"]:
        raise SystemExit("the two scans found different findings")


def scan(regions, concurrency: int, front) -> tuple[float, set, int]:
    from scanner.catalogue import load_catalogue
    from scanner.inventory.database import open_db
    from scanner.modules.aws.scan import AwsScan, AwsScanOptions

    with tempfile.TemporaryDirectory() as folder:
        db = open_db(Path(folder) / "bench.db")
        catalogue = load_catalogue()
        front.calls.clear()
        options = AwsScanOptions(org_role="OrganizationAccountAccessRole", regions=tuple(regions),
                                 concurrency=concurrency)
        started = time.perf_counter()
        result = AwsScan(db, catalogue, options).run()
        seconds = time.perf_counter() - started
        if result.gaps:
            print(f"  ({result.gaps} coverage gaps)")
        found = {(r["service_id"], r["subject"], r["location"], r["hits"])
                 for r in db.query("select * from findings")}
        return seconds, found, len(front.calls)


if __name__ == "__main__":
    main()
