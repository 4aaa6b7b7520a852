"""`shadowai scan aws`"""

from __future__ import annotations

import click

from scanner.cli.options import catalogue_from, echo_error, scan_options
from scanner.cli.scan_runner import run_scan
from scanner.modules.aws.resources import CLIENTS
from scanner.modules.aws.scan import DEFAULT_CONCURRENCY, DEFAULT_MAX_TRAIL_EVENTS


def comma_list(_ctx, _param, value):
    return tuple(dict.fromkeys(item.strip() for item in (value or "").split(",") if item.strip()))


def service_list(ctx, param, value):
    chosen = comma_list(ctx, param, value) or CLIENTS
    unknown = [name for name in chosen if name not in CLIENTS]
    if unknown:
        raise click.BadParameter(f"unknown service {', '.join(unknown)}; choose from {', '.join(CLIENTS)}")
    return chosen


@click.command(name="aws")
@click.option("--profile", metavar="NAME",
              help="AWS profile to use [default: boto3's chain: environment, profile, SSO, instance role].")
@click.option("--org-role", metavar="NAME",
              help="Scan every active account of the AWS Organization by assuming this role in each "
                   "(e.g. OrganizationAccountAccessRole); run from the management or a delegated admin account.")
@click.option("--regions", callback=comma_list, metavar="LIST",
              help="Comma-separated regions [default: every region enabled for each account].")
@click.option("--services", callback=service_list, metavar="LIST",
              help=f"Comma-separated boto3 service names to read [default: all: {', '.join(CLIENTS)}].")
@click.option("--concurrency", type=click.IntRange(1, 128), default=DEFAULT_CONCURRENCY, show_default=True,
              help="API calls in flight at once (account × region × service tasks in threads).")
@click.option("--cloudtrail/--no-cloudtrail", default=True, show_default=True,
              help="Count Bedrock model invocations per principal and model from CloudTrail event history "
                   "(LookupEvents, last 90 days).")
@click.option("--max-trail-events", type=click.IntRange(1), default=DEFAULT_MAX_TRAIL_EVENTS, show_default=True,
              help="Bedrock CloudTrail events read per account and region at most (LookupEvents answers 2 calls "
                   "a second); when reached, the rest is a coverage gap.")
@click.option("--cost/--no-cost", default=True, show_default=True,
              help="Read the last 30 days' spend per AI service from Cost Explorer (USD 0.01 per request).")
@click.option("--endpoint-url", metavar="URL", envvar="AWS_ENDPOINT_URL",
              help="Send every AWS call to this endpoint (a test server or a VPC endpoint proxy).")
@scan_options
def aws_command(profile, org_role, regions, services, concurrency, cloudtrail, max_trail_events, cost,
                endpoint_url, db_path, signature_dirs, wait, fail_on_new, quiet):
    """Read AWS accounts for AI resources: Bedrock (custom and imported models, customisation and batch jobs,
    provisioned throughput, inference profiles, guardrails, invocation logging), Bedrock Agents, AgentCore,
    SageMaker, Comprehend, Rekognition, Textract, Transcribe, Translate, Polly, Lex V2, Kendra and Q Business;
    Bedrock model invocations per principal and model from CloudTrail; AI spend from Cost Explorer. A denied
    permission, a region not enabled or a service not offered is a coverage gap naming the account, region and
    API; the rest of the scan goes on. Read-only: the ReadOnlyAccess managed policy (plus
    ce:GetCostAndUsage) is enough. Findings are a snapshot: scanning again replaces the counts. A model named
    by a resource, an invocation or a spend line (Claude, Llama, Mistral…) also adds a finding for the model's
    vendor (anthropic-api…, evidence via=aws-bedrock), unless that vendor is Amazon's own.

    Example: shadowai scan aws --org-role OrganizationAccountAccessRole --regions us-east-1,eu-west-1
    """
    from scanner.modules.aws.scan import AwsScan, AwsScanOptions

    catalogue = catalogue_from(signature_dirs)
    options = AwsScanOptions(profile=profile, endpoint_url=endpoint_url, org_role=org_role, regions=regions,
                             services=services, concurrency=concurrency, cloudtrail=cloudtrail, cost=cost,
                             max_trail_events=max_trail_events)
    run_scan(db_path, wait, catalogue, fail_on_new=fail_on_new,
             scan=lambda db, stop: AwsScan(db, catalogue, options, stop=stop, on_gap=echo_error).run(),
             summary=summary)


def summary(result) -> str:
    counts = result.counts
    return (f"{counts.get('accounts', 0)} accounts, {counts.get('account_regions', 0)} account-regions, "
            f"{counts.get('resources', 0)} AI resources, {counts.get('bedrock_invocations', 0)} Bedrock "
            f"invocations, {counts.get('spend_lines', 0)} spend lines, {result.gaps} coverage gaps, "
            f"{result.errors} errors")
