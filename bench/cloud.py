"""Benchmark `scan aws` fan-out: 3 accounts × 17 regions, 50 ms added to every API call, parallel vs sequential.

"AWS" runs in its own process: moto's ThreadedMotoServer (the organisation with two member accounts, STS) behind
the AwsFront (tests/support/aws_front.py), which adds the latency and answers every list operation the scan
makes with a documented response shape (the examples of tests/modules/aws/api_examples.py, empty lists
elsewhere). Neither its work nor its memory counts as the scanner's, as AWS's would not.

The same scan (every service, CloudTrail and Cost Explorer on) runs with --concurrency 1 and with --concurrency
N, each in a fresh process into a fresh inventory, so neither inherits what the other loaded or cached; the
wall time counted is AwsScan.run's. With --repeat R the two alternate R times and the medians count (on a
shared machine a single run follows the other load). Prints each run's wall and CPU time, the API calls made,
the speed-up (target: at least 8×) and the load average, and fails when the two found different findings.

    python bench/cloud.py [--regions 17] [--latency 0.05] [--concurrency 16] [--repeat 1]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REGIONS = ("us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "eu-west-1", "eu-west-2",
           "eu-west-3", "eu-central-1", "eu-north-1", "ap-south-1", "ap-northeast-1", "ap-northeast-2",
           "ap-northeast-3", "ap-southeast-1", "ap-southeast-2", "sa-east-1")
ENVIRONMENT = {"AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY": "bench-not-secret",
               "AWS_DEFAULT_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", type=int, default=17)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--serve-aws", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--scan", metavar="DB", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_aws:
        return serve_aws(args.latency)
    if args.scan:
        return scan(Path(args.scan), REGIONS[:args.regions], args.concurrency)

    aws = subprocess.Popen([sys.executable, __file__, "--serve-aws", "--latency", str(args.latency)],
                           stdout=subprocess.PIPE, text=True)
    try:
        front_url = aws.stdout.readline().strip()
        if not front_url:
            raise SystemExit("the AWS process did not start")
        compare(front_url, args)
    finally:
        aws.terminate()
        aws.wait(timeout=10)


def serve_aws(latency: float) -> None:
    """moto and the front, until SIGTERM; prints the front's URL."""
    from moto.server import ThreadedMotoServer

    from tests.support.aws_front import AwsFront

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    moto.start()
    host, port = moto.get_host_and_port()
    try:
        with AwsFront(f"http://{host}:{port}") as front:
            answer_every_list(front)
            front.latency = latency
            print(front.url, flush=True)
            signal.sigwait({signal.SIGTERM})
    finally:
        moto.stop()


def answer_every_list(front) -> None:
    """Every list the scan makes is answered by the front (documented shapes; empty where no example), so the
    time measured is the scanner's and the latency's, not the test server's. STS and Organizations (a handful
    of calls) go to moto."""
    import botocore.session

    from scanner.modules.aws.resources import LISTERS
    from tests.modules.aws import api_examples as examples

    session = botocore.session.get_session()

    def key(service: str, operation: str) -> tuple[str, str]:
        """How the AwsFront sees an operation: the signing service, and the X-Amz-Target name or 'METHOD /path'."""
        model = session.get_service_model(service)
        http = model.operation_model(operation).http
        if model.protocol in ("json", "smithy-rpc-v2-cbor"):
            return model.signing_name or model.endpoint_prefix, operation
        return model.signing_name or model.endpoint_prefix, f"{http['method']} {http['requestUri'].split('?')[0]}"

    for lister in LISTERS:
        front.answer(*key(lister.client, lister.operation), {lister.items: []})
    front.answer(*key("bedrock", "GetModelInvocationLoggingConfiguration"), {})
    examples.install(front, examples.bedrock(), examples.other_services())
    front.answer("cloudtrail", "LookupEvents", *examples.trail_pages(examples.now_utc()))
    front.answer(*key("ce", "GetCostAndUsage"), {"ResultsByTime": []})


def compare(front_url: str, args) -> None:
    os.environ.update(ENVIRONMENT, AWS_ENDPOINT_URL=front_url)
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
        os.environ.pop(name, None)
    import boto3

    organizations = boto3.client("organizations")
    organizations.create_organization(FeatureSet="ALL")
    for name in ("research", "marketing"):
        organizations.create_account(AccountName=name, Email=f"{name}@example.com")
    runs: dict[str, list[dict]] = {"sequential": [], "parallel": []}
    findings: dict[str, set] = {}
    with tempfile.TemporaryDirectory() as folder:
        for attempt in range(args.repeat):
            for label, concurrency in (("sequential", 1), ("parallel", args.concurrency)):
                db = Path(folder) / f"{label}-{attempt}.db"
                calls_before = front_calls(front_url)
                child = subprocess.run([sys.executable, __file__, "--scan", str(db), "--regions", str(args.regions),
                                        "--concurrency", str(concurrency)], capture_output=True, text=True)
                if child.returncode:
                    raise SystemExit(f"the {label} scan failed:\n{child.stderr[-3000:]}")
                run = json.loads(child.stdout.strip().splitlines()[-1])
                run["calls"] = front_calls(front_url) - calls_before
                runs[label].append(run)
                found = read_findings(db)
                if findings.setdefault(label, found) != found:
                    raise SystemExit(f"two {label} scans found different findings")
                print(f"{label:<10} concurrency {concurrency:>3}: {run['seconds']:6.1f} s wall, "
                      f"{run['cpu']:5.1f} s CPU, {run['calls']} API calls, {len(found)} findings"
                      + (f", {run['gaps']} coverage gaps" if run["gaps"] else ""), flush=True)
    sequential = statistics.median(run["seconds"] for run in runs["sequential"])
    parallel = statistics.median(run["seconds"] for run in runs["parallel"])
    calls = runs["parallel"][0]["calls"]
    floor = calls * args.latency / args.concurrency  # every call waits the latency, concurrency at a time
    print(f"3 accounts × {args.regions} regions, {args.latency * 1000:.0f} ms per call: parallel is "
          f"{sequential / parallel:.1f}× faster than sequential (target ≥ 8×; medians of {args.repeat}); "
          f"{calls} calls at {args.concurrency} in flight take at least {floor:.1f} s; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    if findings["sequential"] != findings["parallel"]:
        raise SystemExit("the sequential and the parallel scan found different findings")


def front_calls(front_url: str) -> int:
    with urllib.request.urlopen(f"{front_url}/__front__/calls", timeout=10) as response:
        return json.load(response)["calls"]


def read_findings(db_path: Path) -> set:
    from scanner.inventory.database import open_db

    db = open_db(db_path)
    return {(row["service_id"], row["subject"], row["location"], row["hits"])
            for row in db.query("select * from findings")}


def scan(db_path: Path, regions: tuple[str, ...], concurrency: int) -> None:
    """One scan in this (fresh) process; prints its wall and CPU seconds and its coverage gaps as JSON."""
    from scanner.catalogue import load_catalogue
    from scanner.inventory.database import open_db
    from scanner.modules.aws.scan import AwsScan, AwsScanOptions

    db = open_db(db_path)
    catalogue = load_catalogue()
    options = AwsScanOptions(org_role="OrganizationAccountAccessRole", regions=regions, concurrency=concurrency)
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    result = AwsScan(db, catalogue, options).run()
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"seconds": seconds, "gaps": result.gaps, "status": result.status,
                      "cpu": after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime}))


if __name__ == "__main__":
    main()
