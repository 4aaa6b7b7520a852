"""`shadowai scan gcp`"""

from __future__ import annotations

import click

from scanner.cli.google_options import described, google_options, google_tokens
from scanner.cli.options import catalogue_from, echo_error, scan_options
from scanner.cli.scan_runner import run_scan
from scanner.clients.google import CLOUD_READ_ONLY, GoogleClient


def split_regions(_ctx, _param, value):
    return tuple(region.strip() for region in (value or "").split(",") if region.strip())


@click.command(name="gcp")
@click.option("--project", "projects", multiple=True, metavar="ID",
              help="Scan this project (repeatable) [default: every active project the credentials can see].")
@click.option("--regions", callback=split_regions, metavar="LIST",
              help="Comma-separated Vertex AI regions [default: every location of each project].")
@click.option("--no-usage", is_flag=True,
              help="Skip the AI API usage figures from Cloud Monitoring (last 30 days).")
@click.option("--workers", type=click.IntRange(1, 64), default=8, show_default=True,
              help="Parallel calls per project (Vertex AI regions are read in parallel).")
@google_options
@scan_options
def gcp_command(projects, regions, no_usage, workers, credentials_path, token_url, api_urls, db_path,
                signature_dirs, wait, fail_on_new, quiet):
    """Read the Google Cloud projects the credentials can see: enabled AI APIs (Service Usage), Vertex AI
    endpoints with their deployed models, models, tuning jobs and notebooks per region, Workbench instances,
    and 30 days of AI API usage (Cloud Monitoring). A denied API or permission is a coverage gap naming the
    project and the API. Needs roles/browser, roles/serviceusage.serviceUsageViewer, roles/aiplatform.viewer,
    roles/notebooks.viewer and roles/monitoring.viewer (or roles/viewer) on the projects. A model deployed,
    tuned or invoked through Vertex AI (Gemini, Claude, Llama…) also adds a finding for the model's vendor
    (google-gemini-api, anthropic-api…, evidence via=google-vertex-ai).

    Example: shadowai scan gcp --credentials scanner-key.json --regions us-central1,europe-west4
    """
    from scanner.modules.gcp.scan import GcpOptions, GcpScan

    tokens, endpoints = google_tokens(credentials_path, token_url, api_urls, connections=workers)
    client = GoogleClient(tokens, (CLOUD_READ_ONLY,), endpoints=endpoints)
    catalogue = catalogue_from(signature_dirs)
    options = GcpOptions(projects=tuple(projects), regions=regions, usage=not no_usage, workers=workers)
    run_scan(db_path, wait, catalogue, fail_on_new=fail_on_new,
             scan=lambda db, stop: GcpScan(db, catalogue, client, options, parameters=described(client, api_urls),
                                           stop=lambda: bool(stop), on_error=echo_error).run(),
             summary=summary)


def summary(result) -> str:
    counts = result.counts
    return (f"{counts.get('projects', 0)} projects, {counts.get('ai_apis_enabled', 0)} AI APIs enabled, "
            f"{counts.get('vertex_resources', 0)} Vertex AI resources, {counts.get('workbench_instances', 0)} "
            f"Workbench instances, {counts.get('usage_series', 0)} usage series, {len(result.gaps)} coverage gaps")
