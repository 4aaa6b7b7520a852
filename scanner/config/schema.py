"""What a shadowai.toml may contain: the top-level keys, one table per source, one table per scope.

Each source table holds the options of its ``shadowai scan <command>``, under the option's name with
underscores (``--parse-all`` is ``parse_all``); ``param`` names the click parameter where the two differ, and
``positional`` marks the command's arguments (log paths, repository targets). Other modules read these tables
as plain data. Secrets never go here: credentials come from each provider's standard chain.
"""

from __future__ import annotations

from dataclasses import dataclass

# Value kinds: str, bool, int, number, strings (list of str), path, paths (resolved against the config's
# folder), targets (paths, or URLs left as they are), cidrs, size (an int or "5M"), date.


@dataclass(frozen=True)
class Field:
    kind: str
    help: str
    required: bool = False
    positional: bool = False
    param: str | None = None  # the click parameter's name when it is not the key


@dataclass(frozen=True)
class SourceSchema:
    command: str  # `shadowai scan <command>`
    summary: str
    fields: dict[str, Field]
    module_source: str = ""  # the `source` column its findings carry, when it is not the command name

    @property
    def finding_source(self) -> str:
        return self.module_source or self.command


# Credentials options shared by the Microsoft (azure, entra) and Google (gcp, google) commands. Secrets are never
# options: the client secret is read from AZURE_CLIENT_SECRET, keys from the files named here.
MICROSOFT = {
    "tenant_id": Field("str", "Entra tenant (directory) id."),
    "client_id": Field("str", "Application (client) id of the scanner's app registration."),
    "client_certificate": Field("path", "The app's certificate and private key (PEM or PKCS#12).",
                                param="certificate_path"),
    "authority_url": Field("str", "Microsoft identity platform host (a sovereign cloud)."),
    "graph_url": Field("str", "Microsoft Graph base URL."),
    "arm_url": Field("str", "Azure Resource Manager base URL."),
    "ca_bundle": Field("path", "CA certificates to trust instead of the system's."),
}
GOOGLE = {
    "credentials": Field("path", "Service account key (JSON) or application-default credentials.",
                         param="credentials_path"),
    "token_url": Field("str", "OAuth token endpoint."),
    "api_url": Field("strings", "Base URLs for Google APIs: URL, or API=URL for one API.", param="api_urls"),
}

ENABLED = Field("bool", "Run this source (default true); false keeps its settings without running it.")
# The SaaS OAuth sources (entra, google, github, slack): --broad-scope-apps/--no-broad-scope-apps.
OAUTH = {
    "broad_scope_apps": Field("bool", "Record apps outside the catalogue that hold high-risk data scopes as "
                                      "low-confidence unknown-oauth-ai-app findings (default true)."),
}
# --engine dask (scanner/cli/engine_options.py): the same scan as tasks on a Dask cluster.
ENGINE = {
    "engine": Field("str", "local (this machine's processes) or dask (a Dask cluster: pip install "
                           "'shadowai[dask]')."),
    "scheduler": Field("str", "With engine = \"dask\": address of a running scheduler (tcp://HOST:8786)."),
    "dask_workers": Field("int", "With engine = \"dask\" and no scheduler: processes of the local cluster."),
}

SOURCES: dict[str, SourceSchema] = {
    "logs": SourceSchema("logs", "DNS and proxy logs", {
        "paths": Field("targets", "Log files, folders or globs; s3:// prefixes or globs.", required=True,
                       positional=True),
        "storage_options": Field("strings", "fsspec options for URL inputs, as KEY=VALUE (no credentials)."),
        "format": Field("str", "Read every file as this format instead of detecting it (see --list-formats).",
                        param="forced_format"),
        "parse_all": Field("bool", "Parse every line and report every malformed one."),
        "workers": Field("int", "Processes for large plain files."),
        "subjects": Field("path", "CSV mapping IP/CIDR to device, user and department (network,device,user,"
                                  "department).", param="subjects_file"),
    } | ENGINE),
    "repo": SourceSchema("repo", "code repositories", {
        "targets": Field("targets", "Local folders or git URLs.", required=True, positional=True),
        "jobs": Field("int", "Repositories scanned at once."),
        "time_budget": Field("number", "Seconds allowed per repository (0: no limit)."),
        "max_file_size": Field("size", "Text files larger than this are not read (e.g. 5M)."),
    } | ENGINE),
    "aws": SourceSchema("aws", "AWS accounts", {
        "profile": Field("str", "AWS profile (default: boto3's chain: environment, profile, SSO, instance role)."),
        "org_role": Field("str", "Role assumed in every account of the AWS Organization."),
        "regions": Field("strings", "Regions to scan (default: every enabled region)."),
        "services": Field("strings", "boto3 service names to read (default: all)."),
        "concurrency": Field("int", "API calls in flight at once."),
        "cloudtrail": Field("bool", "Count Bedrock invocations from CloudTrail (default true)."),
        "max_trail_events": Field("int", "CloudTrail events read per account and region at most."),
        "cost": Field("bool", "Read the last 30 days' spend from Cost Explorer (default true)."),
        "endpoint_url": Field("str", "Send every AWS call to this endpoint (a VPC endpoint proxy)."),
    }),
    "azure": SourceSchema("azure", "Azure subscriptions", MICROSOFT | {
        "subscriptions": Field("strings", "Subscription ids (default: every subscription the identity can read)."),
        "days": Field("int", "Window for usage and cost, in days."),
        "no_usage": Field("bool", "Skip token and call counts per deployment."),
        "no_cost": Field("bool", "Skip the cost per AI resource."),
    }),
    "gcp": SourceSchema("gcp", "Google Cloud projects", GOOGLE | {
        "projects": Field("strings", "Project ids (default: every active project the credentials see)."),
        "regions": Field("strings", "Vertex AI regions (default: every location)."),
        "no_usage": Field("bool", "Skip AI API usage figures from Cloud Monitoring."),
        "workers": Field("int", "Parallel calls per project."),
    }),
    "entra": SourceSchema("entra", "Microsoft Entra ID / Microsoft 365 tenant", MICROSOFT | {
        "days": Field("int", "Window for consent events and sign-ins, in days."),
        "no_sign_ins": Field("bool", "Skip reading sign-ins to third-party apps."),
        "no_per_app": Field("bool", "Skip the per-app calls (application permissions, assigned users)."),
    } | OAUTH),
    "google": SourceSchema("google", "Google Workspace", GOOGLE | {
        "admin_email": Field("str", "Workspace admin the service account acts for (domain-wide delegation)."),
        "customer": Field("str", "Workspace customer id (default: my_customer)."),
        "days": Field("int", "How far back to read OAuth authorisations."),
        "tokens_per_user": Field("bool", "Also list every user's current OAuth tokens."),
        "workers": Field("int", "Parallel calls for tokens_per_user."),
    } | OAUTH),
    "github": SourceSchema("github", "GitHub organisations", {
        "orgs": Field("strings", "Organisations to read.", required=True),
        "api_url": Field("str", "REST API root (GitHub Enterprise Server: https://HOST/api/v3)."),
    } | OAUTH),
    "slack": SourceSchema("slack", "Slack workspaces", {
        "teams": Field("strings", "Enterprise Grid workspaces to read (needed with an org-level token)."),
        "api_url": Field("str", "Web API root."),
    } | OAUTH),
    "pcap": SourceSchema("pcap", "packet captures", {
        "files": Field("paths", "pcap or pcapng files (also gzipped).", required=True, positional=True),
        "subjects": Field("path", "CSV mapping IP/CIDR to device, user and department (network,device,user,"
                                  "department).", param="subjects_file"),
    }),
    "dns_zone": SourceSchema("dns-zone", "DNS zones", {
        "domains": Field("strings", "Domains whose records are read.", required=True, param="domain"),
        "nameserver": Field("str", "Name server to ask (default: the system resolver)."),
        "port": Field("int", "Port of the name server (default 53)."),
        "axfr": Field("bool", "Try a zone transfer for the zone's names."),
        "names": Field("path", "File with one name of the zone per line."),
        "timeout": Field("number", "Seconds to wait for each answer (default 3)."),
    }),
}

for _schema in SOURCES.values():
    _schema.fields.setdefault("enabled", ENABLED)

SCOPE_FIELDS: dict[str, Field] = {
    "description": Field("str", "What the scope covers, in a sentence."),
    "sources": Field("strings", "Sources (table names under [sources]) run for this scope; default: all."),
    "networks": Field("cidrs", "Networks of the scope's devices, as CIDRs."),
    "users": Field("strings", "User or e-mail patterns (shell-style: *@eng.example.com)."),
    "departments": Field("strings", "Departments (from the departments CSV) whose people are in scope."),
    "aws_accounts": Field("strings", "AWS account ids in scope."),
    "azure_subscriptions": Field("strings", "Azure subscription ids in scope."),
    "gcp_projects": Field("strings", "Google Cloud project ids in scope."),
    "tenants": Field("strings", "Entra tenants, Workspace domains, GitHub orgs or Slack workspaces in scope."),
    "repos": Field("strings", "Repository patterns (shell-style, against the path or URL): */payments-*."),
}

TOP_FIELDS: dict[str, Field] = {
    "signatures": Field("paths", "Extra signature folders layered over the built-in catalogue."),
    "sanctions": Field("path", "Sanctions file (TOML or CSV): sanctioned / tolerated / blocked services."),
    "departments": Field("path", "CSV with columns user,department (user: login or e-mail)."),
    "templates": Field("path", "Folder of report templates overriding the built-in ones (reports/)."),
    "drafts": Field("path", "Folder where `discover` writes scope drafts (default: scope-drafts)."),
}

TABLES = ("sources", "scopes", "notifications", "log_formats")  # log_formats: scanner/modules/logs/formats/mapped.py  # notifications: scanner/notifications/settings.py

