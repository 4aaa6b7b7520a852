"""`shadowai scan azure`"""

from __future__ import annotations

import click

from scanner.cli.microsoft_options import described, microsoft_client, microsoft_options
from scanner.cli.options import catalogue_from, echo_error, scan_options
from scanner.cli.scan_runner import run_scan

RESOURCE_COUNTS = ("cognitive_accounts", "model_deployments", "foundry_projects", "ml_workspaces", "ml_endpoints",
                   "ml_deployments", "other_resources")


@click.command(name="azure")
@click.option("--subscription", "subscriptions", multiple=True, metavar="ID",
              help="Scan this subscription (repeatable) [default: every subscription the identity can read].")
@click.option("--days", type=click.IntRange(1, 90), default=30, show_default=True,
              help="Window for usage (Azure Monitor metrics) and cost (Cost Management), ending now.")
@click.option("--no-usage", is_flag=True, help="Skip the token and call counts per deployment (Azure Monitor).")
@click.option("--no-cost", is_flag=True, help="Skip the cost per AI resource (Cost Management).")
@microsoft_options
@scan_options
def azure_command(subscriptions, days, no_usage, no_cost, tenant_id, client_id, certificate_path, authority_url,
                  graph_url, arm_url, ca_bundle, db_path, signature_dirs, wait, fail_on_new, quiet):
    """Read every Azure subscription the app registration can see: Cognitive Services / AI Services accounts by
    kind (OpenAI, AIServices, Speech…) with their model deployments (model, version, SKU, capacity), AI Foundry
    projects, Machine Learning workspaces and AI Foundry hubs with their online and serverless endpoints, AI
    Search and the other AI resource types of the catalogue; then tokens and calls per deployment (Azure Monitor)
    and cost per resource (Cost Management) over the last --days. Credentials: AZURE_TENANT_ID, AZURE_CLIENT_ID
    and AZURE_CLIENT_SECRET (or AZURE_CLIENT_CERTIFICATE_PATH). Roles: Reader (or Monitoring Reader) and Cost
    Management Reader on each subscription; whatever is refused is a coverage gap naming the subscription. A
    deployed model (gpt-4o, Mistral-Large, Llama…) also adds a finding for the model's vendor (openai-api…,
    evidence via=azure-openai or the other platform's service).

    Example: shadowai scan azure --days 30 --db inventory.db   (with AZURE_TENANT_ID, AZURE_CLIENT_ID and
    AZURE_CLIENT_SECRET set)
    """
    from scanner.modules.azure.scan import AzureOptions, AzureScan

    client = microsoft_client(tenant_id, client_id, certificate_path, authority_url, graph_url, arm_url, ca_bundle)
    catalogue = catalogue_from(signature_dirs)
    options = AzureOptions(subscriptions=tuple(subscriptions), usage=not no_usage, cost=not no_cost, days=days)
    run_scan(db_path, wait, catalogue, fail_on_new=fail_on_new,
             scan=lambda db, stop: AzureScan(db, catalogue, client, options, parameters=described(client),
                                             stop=lambda: bool(stop), on_error=echo_error).run(),
             summary=summary)


def summary(result) -> str:
    counts = result.counts
    resources_found = sum(counts.get(name, 0) for name in RESOURCE_COUNTS)
    return (f"{counts.get('subscriptions', 0)} subscriptions, {resources_found} AI resources "
            f"({counts.get('model_deployments', 0)} model deployments), {counts.get('usage_series', 0)} usage "
            f"series, {counts.get('cost_rows', 0)} costs, {len(result.gaps)} coverage gaps")
