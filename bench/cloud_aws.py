"""Benchmark `scan aws` fan-out: 3 accounts × 17 regions, 50 ms added to every API call, parallel vs sequential.

The AwsFront (tests/support/aws_front.py) adds the latency and answers every list operation the scan makes with
a documented response shape (the examples of tests/modules/aws/api_examples.py, empty lists elsewhere);
moto's ThreadedMotoServer behind it holds the organisation (two member accounts) and answers STS. The same scan
(every service, CloudTrail and Cost Explorer on) runs twice into fresh inventories: with --concurrency 1 and
with --concurrency N. Prints both wall times and the speed-up (target: at least 8×) and checks that both found
the same findings.

    python bench/cloud_aws.py [--regions 17] [--latency 0.05] [--concurrency 16]
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
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


def front_key(client_name: str, operation: str) -> tuple[str, str]:
    """How the AwsFront sees an operation: the signing service, and the X-Amz-Target name or 'METHOD /path'."""
    import boto3

    model = boto3.session.Session().client(client_name, region_name="us-east-1", aws_access_key_id="x",
                                           aws_secret_access_key="x").meta.service_model
    http = model.operation_model(operation).http
    if model.protocol in ("json", "smithy-rpc-v2-cbor"):
        return model.signing_name or model.endpoint_prefix, operation
    return model.signing_name or model.endpoint_prefix, f"{http['method']} {http['requestUri'].split('?')[0]}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", type=int, default=17)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--serve-front", metavar="MOTO_URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_front:
        return serve_front(args.serve_front, args.latency)

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    moto.start()
    host, port = moto.get_host_and_port()
    # The front runs in its own process, so that its work does not count as the scanner's.
    front = subprocess.Popen([sys.executable, __file__, "--serve-front", f"http://{host}:{port}",
                              "--latency", str(args.latency)], stdout=subprocess.PIPE, text=True)
    try:
        front_url = front.stdout.readline().strip()
        run(front_url, args)
    finally:
        front.terminate()
        front.wait(timeout=10)
        moto.stop()


def serve_front(moto_url: str, latency: float) -> None:
    from scanner.modules.aws.resources import LISTERS
    from tests.modules.aws import api_examples as examples
    from tests.support.aws_front import AwsFront

    with AwsFront(moto_url) as front:
        # Every list the scan makes is answered by the front (documented shapes; empty where no example), so
        # the time measured is the scanner's and the latency's, not the test server's. STS and Organizations
        # (a handful of calls) go to moto.
        for lister in LISTERS:
            front.answer(*front_key(lister.client, lister.operation), {lister.items: []})
        front.answer(*front_key("bedrock", "GetModelInvocationLoggingConfiguration"), {})
        examples.install(front, examples.bedrock(), examples.other_services())
        front.answer("cloudtrail", "LookupEvents", *examples.trail_pages(examples.now_utc()))
        front.answer(*front_key("ce", "GetCostAndUsage"), {"ResultsByTime": []})
        front.latency = latency
        print(front.url, flush=True)
        signal.sigwait({signal.SIGTERM})


def run(front_url: str, args) -> None:
    os.environ.update(AWS_ACCESS_KEY_ID="AKIAIOSFODNN7EXAMPLE", AWS_SECRET_ACCESS_KEY="bench-not-secret",
                      AWS_DEFAULT_REGION="us-east-1", AWS_EC2_METADATA_DISABLED="true", AWS_ENDPOINT_URL=front_url)
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
        os.environ.pop(name, None)
    regions = REGIONS[:args.regions]
    import boto3

    organizations = boto3.client("organizations")
    organizations.create_organization(FeatureSet="ALL")
    for name in ("research", "marketing"):
        organizations.create_account(AccountName=name, Email=f"{name}@example.com")
    timings = {}
    findings = {}
    for label, concurrency in (("sequential", 1), ("parallel", args.concurrency)):
        seconds, found = scan(regions, concurrency)
        timings[label], findings[label] = seconds, found
        print(f"{label:<10} concurrency {concurrency:>3}: {seconds:7.1f} s, {len(found)} findings", flush=True)
    speedup = timings["sequential"] / timings["parallel"]
    print(f"3 accounts × {len(regions)} regions, {args.latency * 1000:.0f} ms per call: "
          f"parallel is {speedup:.1f}× faster than sequential (target ≥ 8×)")
    if findings["sequential"] != findings["parallel"]:
        raise SystemExit("the two scans found different findings")


def scan(regions, concurrency: int) -> tuple[float, set]:
    from scanner.catalogue import load_catalogue
    from scanner.inventory.database import open_db
    from scanner.modules.aws.scan import AwsScan, AwsScanOptions

    with tempfile.TemporaryDirectory() as folder:
        db = open_db(Path(folder) / "bench.db")
        catalogue = load_catalogue()
        options = AwsScanOptions(org_role="OrganizationAccountAccessRole", regions=tuple(regions),
                                 concurrency=concurrency)
        started = time.perf_counter()
        result = AwsScan(db, catalogue, options).run()
        seconds = time.perf_counter() - started
        if result.gaps:
            print(f"  ({result.gaps} coverage gaps)")
        found = {(r["service_id"], r["subject"], r["location"], r["hits"])
                 for r in db.query("select * from findings")}
        return seconds, found


if __name__ == "__main__":
    main()
