"""`shadowai scan repo TARGET...`"""

from __future__ import annotations

import os
import re
from functools import partial

import click

from scanner.cli.api_tokens import token_client
from scanner.cli.engine_options import engine_options, engine_settings
from scanner.cli.engine_scan import on_engine
from scanner.cli.options import catalogue_from, echo_error, scan_options
from scanner.cli.scan_runner import run_scan

SIZE_UNITS = {"": 1, "k": 1024, "m": 1024 ** 2, "g": 1024 ** 3}


class ByteSize(click.ParamType):
    name = "SIZE"

    def convert(self, value, param, ctx):
        if isinstance(value, int):
            return value
        found = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kKmMgG]?)(?:i?[bB])?\s*", str(value))
        if not found:
            self.fail(f"{value!r} is not a size (examples: 500000, 512K, 5M, 1G)", param, ctx)
        return int(float(found.group(1)) * SIZE_UNITS[found.group(2).lower()])


@click.command(name="repo")
@click.argument("targets", nargs=-1)
@click.option("--github-org", "github_orgs", multiple=True, metavar="ORG",
              help="Also scan every repository of this GitHub organisation, listed through the API with "
                   "GITHUB_TOKEN, which also authenticates the clones (repeatable).")
@click.option("--gitlab-group", "gitlab_groups", multiple=True, metavar="GROUP",
              help="Also scan every project of this GitLab group and its subgroups (id or full path, e.g. "
                   "acme/platform), listed through the API with GITLAB_TOKEN, which also authenticates the "
                   "clones (repeatable).")
@click.option("--api-url", default=None, metavar="URL",
              help="API root of a self-hosted instance: https://HOST/api/v3 (GitHub Enterprise Server) or "
                   "https://HOST/api/v4 (GitLab). Default: api.github.com, gitlab.com (env GITHUB_API_URL, "
                   "GITLAB_API_URL).")
@click.option("--archived/--no-archived", "include_archived", default=True, show_default=True,
              help="Scan the organisation's archived repositories too.")
@click.option("--forks/--no-forks", "include_forks", default=False, show_default=True,
              help="Scan the organisation's forks too (skipped by default: mostly others' code).")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=None,
              help="Processes: repositories scanned at once, each in its own; a single repository's files "
                   "are split across them instead (default: CPUs, at most 4).")
@click.option("--time-budget", type=click.FloatRange(0), default=900, show_default=True, metavar="SECONDS",
              help="Time allowed per repository, clone included; what is left unscanned is recorded as a "
                   "coverage gap. 0: no limit.")
@click.option("--max-file-size", type=ByteSize(), default="5M", show_default=True,
              help="Text files larger than this are not read (lock files: ten times this); model files are "
                   "recognised from their header whatever their size.")
@engine_options
@scan_options
def repo_command(targets, github_orgs, gitlab_groups, api_url, include_archived, include_forks, jobs, time_budget,
                 max_file_size, engine, scheduler, dask_workers, db_path, signature_dirs, wait, fail_on_new, quiet):
    """Find AI use in code repositories: SDK dependencies in manifests and lock files, imports, AI endpoints
    and env var names, API keys (stored only as fingerprints), model files, notebooks, inference containers,
    IaC resources and AI coding-assistant config files. A TARGET is a local directory or a git URL (cloned
    shallow into a temporary folder with your git credentials); --github-org and --gitlab-group add every
    repository of an organisation or group, listed through the API. Nothing in a repository is ever executed;
    symbolic links are not followed. Findings are a snapshot: scanning again replaces the counts.

    Example: shadowai scan repo ./my-service https://github.com/acme/support-bot.git --db inventory.db

    Example: shadowai scan repo --github-org acme --no-archived   (with GITHUB_TOKEN set)
    """
    from scanner.modules.repo.repository import ScanOptions
    from scanner.modules.repo.scan import RepoScan, RepoScanResult, default_jobs

    if not targets and not github_orgs and not gitlab_groups:
        raise click.UsageError("give a TARGET, --github-org ORG or --gitlab-group GROUP")
    settings = engine_settings(engine, scheduler, dask_workers)
    listings = hosted_listings(github_orgs, gitlab_groups, api_url, include_archived, include_forks)
    catalogue = catalogue_from(signature_dirs)
    options = ScanOptions(max_file_size=max_file_size, time_budget=time_budget or None)

    def scan(db, stop, client):
        if client is None:
            repo_scan = RepoScan(db, catalogue, options, jobs=jobs or default_jobs(), show_progress=not quiet,
                                 on_error=echo_error, stop=stop)
        else:
            from scanner.modules.repo.dask_scan import DaskRepoScan

            repo_scan = DaskRepoScan(db, catalogue, options, client=client, show_progress=not quiet,
                                     on_error=echo_error, stop=stop)
        return repo_scan.run(list(targets), listings=listings)

    run_scan(db_path, wait, catalogue, fail_on_new=fail_on_new, summary=summary,
             scan=on_engine(settings, scan, module="repo", catalogue_version=catalogue.version,
                            parameters={"targets": list(targets)}, result_class=RepoScanResult))


def summary(result) -> str:
    counts = result.counts
    return (f"{counts.get('repositories', 0)} repositories, {counts.get('files', 0)} files, "
            f"{counts.get('findings', 0)} findings, {result.errors} errors")


def hosted_listings(github_orgs, gitlab_groups, api_url, include_archived, include_forks) -> list:
    """One listing per organisation and group, each with its API client; the tokens come from the environment
    and are never echoed (a missing one is a usage error that names the variable, not a value)."""
    if not github_orgs and not gitlab_groups:
        return []  # local and git-URL targets only: no API client (nor requests) to import
    from scanner.clients.github import DEFAULT_API_URL as GITHUB_API, GitHubClient
    from scanner.clients.gitlab import DEFAULT_API_URL as GITLAB_API, GitLabClient
    from scanner.modules.repo.hosted import (GITHUB_CLONE_USER, GITLAB_CLONE_USER, HostedListing,
                                             github_repositories, gitlab_repositories)
    from scanner.modules.repo.targets import CloneAuth

    if api_url and github_orgs and gitlab_groups:
        raise click.UsageError("--api-url names one instance: scan GitHub organisations and GitLab groups in "
                               "separate runs when one of them is self-hosted")
    listings = []
    for orgs, variable, default, client_class, user, listed in (
            (github_orgs, "GITHUB_TOKEN", os.environ.get("GITHUB_API_URL") or GITHUB_API, GitHubClient,
             GITHUB_CLONE_USER, github_repositories),
            (gitlab_groups, "GITLAB_TOKEN", os.environ.get("GITLAB_API_URL") or GITLAB_API, GitLabClient,
             GITLAB_CLONE_USER, gitlab_repositories)):
        if not orgs:
            continue
        client = token_client(client_class, variable,
                              f"set {variable} to a token that can list the repositories (read access)",
                              api_url or default)
        auth = CloneAuth(client.web_url, user, variable)
        host = "github" if client_class is GitHubClient else "gitlab"
        for owner in orgs:
            listings.append(HostedListing(host, owner, partial(listed, client, owner), auth,
                                          include_archived=include_archived, include_forks=include_forks))
    return listings
