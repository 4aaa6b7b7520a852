"""`scan gcp`: one run; per project, its enabled APIs, Vertex AI resources per region, Workbench instances and
30 days of AI API usage, committed as one snapshot batch (a re-scan replaces counts, never adds).

Vertex AI regions of a project are read in parallel (bounded by ``workers``). Whatever the credentials may not
read — an API disabled, a permission missing, a region failing — is a coverage gap naming the project and the
API, and the rest of the project is still read. Refused credentials end the scan: every call would fail.
SIGTERM/SIGINT are checked between projects: the current project is finished and committed first.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Callable

import sqlite_utils

from scanner.clients.google import GoogleAuthError, GoogleClient, api_error_reason
from scanner.clients.http import ApiError
from scanner.inventory.runs import Run, finish_run, start_run
from scanner.inventory.store import FindingBatch, commit_batch
from scanner.modules.gcp import resources, usage
from scanner.modules.gcp.resources import SOURCE, VERTEX, WORKBENCH, Project
from scanner.modules.cloud_models import add_cloud_findings

if TYPE_CHECKING:
    from scanner.catalogue.loader import Catalogue

MAX_REGIONS_NAMED = 5


@dataclass
class GcpOptions:
    projects: tuple[str, ...] = ()  # empty: every project the credentials can see
    regions: tuple[str, ...] = ()  # empty: every Vertex AI location of each project
    usage: bool = True
    workers: int = 8


@dataclass
class GcpScanResult:
    run_id: int
    status: str
    counts: dict[str, int] = field(default_factory=dict)
    gaps: list[dict[str, str]] = field(default_factory=list)


@dataclass
class ProjectResult:
    observations: list = field(default_factory=list)
    gaps: list[tuple[str, str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def count(self, name: str, amount: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + amount


class GcpScan:
    def __init__(self, db: sqlite_utils.Database, catalogue: "Catalogue", client: GoogleClient,
                 options: GcpOptions | None = None, *, parameters: dict | None = None,
                 stop: Callable[[], bool] | None = None, on_error: Callable[[str, str], None] | None = None,
                 clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)) -> None:
        self.db = db
        self.catalogue = catalogue
        self.matcher = catalogue.matcher
        self.client = client
        self.options = options or GcpOptions()
        self.parameters = parameters or {}
        self.stop = stop or (lambda: False)
        self.on_error = on_error or (lambda where, message: None)
        self.clock = clock

    def run(self) -> GcpScanResult:
        run = start_run(self.db, SOURCE, catalogue_version=self.catalogue.version, parameters={
            **self.parameters, "projects": list(self.options.projects), "regions": list(self.options.regions),
            "usage": self.options.usage,
        })
        interrupted = failed = False
        try:
            projects = self.projects(run)
            for done, project in enumerate(projects):
                if self.stop():
                    interrupted = True
                    run.gap(f"{len(projects) - done} project(s) not read", "the scan was stopped (SIGTERM/SIGINT)")
                    break
                self.record(run, project, self.scan_project(project))
        except GoogleAuthError as exc:
            failed = True
            run.error("credentials", str(exc))
            run.gap("every project", f"the credentials were refused: {exc}")
            self.on_error("credentials", str(exc))
        except KeyboardInterrupt:
            interrupted = True
        run.count("api_retries", self.client.http.retries)
        status = finish_run(run, interrupted=interrupted, failed=failed)
        return GcpScanResult(run.id, status, dict(run.counts), list(run.coverage_gaps))

    def projects(self, run: Run) -> list[Project]:
        if self.options.projects:
            return [Project(project_id, None) for project_id in self.options.projects]
        run.add_input(api="cloudresourcemanager.googleapis.com", method="projects.search")
        try:
            found = list(resources.projects(self.client))
        except GoogleAuthError:
            raise
        except ApiError as exc:
            run.gap("projects (cloudresourcemanager.googleapis.com projects.search)", api_error_reason(exc))
            found = []
        fallback = getattr(self.client.tokens.credentials, "project_id", None)
        if not found and fallback:  # a key that may read only its own project still scans that project
            found = [Project(fallback, None)]
        if not found:
            run.gap("projects", "the credentials can see no project; pass --project")
        return sorted(set(found), key=lambda project: project.id)

    def scan_project(self, project: Project) -> ProjectResult:
        result = ProjectResult()
        result.count("projects")
        enabled: set[str] | None = None
        try:
            services = resources.enabled_services(self.client, project)
        except GoogleAuthError:
            raise
        except ApiError as exc:
            result.gaps.append((f"project {project.id}: enabled APIs (serviceusage.googleapis.com)",
                                api_error_reason(exc)))
        else:
            enabled = {service.service for service in services}
            result.count("apis_enabled", len(services))
            result.observations += services
        ai_apis = sorted(name for name in enabled or () if self.matcher.match_cloud("gcp", name))
        result.count("ai_apis_enabled", len(ai_apis))
        if enabled is None or VERTEX in enabled:
            self.scan_vertex(project, result)
        if enabled is None or WORKBENCH in enabled:
            self.guarded(result, f"project {project.id}: Workbench instances ({WORKBENCH})",
                         "workbench_instances", lambda: resources.workbench_instances(self.client, project))
        if self.options.usage and (ai_apis or enabled is None):
            now = self.clock()
            self.guarded(result, f"project {project.id}: AI API usage (monitoring.googleapis.com)",
                         "usage_series", lambda: usage.api_requests(self.client, project, ai_apis, now)
                         if ai_apis else [])
            if enabled is None or VERTEX in enabled:
                self.guarded(result, f"project {project.id}: Vertex AI model invocations (monitoring.googleapis.com)",
                             "usage_series", lambda: usage.model_invocations(self.client, project, now))
        return result

    def guarded(self, result: ProjectResult, what: str, counter: str, read: Callable[[], list]) -> None:
        try:
            found = read()
        except GoogleAuthError:
            raise
        except ApiError as exc:
            result.gaps.append((what, api_error_reason(exc)))
            return
        result.count(counter, len(found))
        result.observations += found

    def scan_vertex(self, project: Project, result: ProjectResult) -> None:
        regions = list(self.options.regions)
        if not regions:
            try:
                regions = resources.vertex_regions(self.client, project)
            except GoogleAuthError:
                raise
            except ApiError as exc:
                result.gaps.append((f"project {project.id}: Vertex AI locations ({VERTEX}); no region was read "
                                    "(pass --regions to read named regions)", api_error_reason(exc)))
                return
        result.count("vertex_regions", len(regions))
        tasks = [(region, collection) for region in regions for collection in resources.VERTEX_COLLECTIONS]
        failures: dict[tuple[str, str], list[str]] = {}
        with ThreadPoolExecutor(max_workers=max(1, self.options.workers)) as pool:
            futures = [(region, collection, pool.submit(resources.vertex_collection, self.client, project, region,
                                                         collection)) for region, collection in tasks]
            for region, collection, future in futures:
                try:
                    found = future.result()
                except GoogleAuthError:
                    raise
                except ApiError as exc:
                    failures.setdefault((collection, api_error_reason(exc)), []).append(region)
                    continue
                result.count("vertex_resources", len(found))
                result.observations += found
        for (collection, reason), failed in sorted(failures.items()):
            named = ", ".join(failed[:MAX_REGIONS_NAMED]) + (f" and {len(failed) - MAX_REGIONS_NAMED} more"
                                                             if len(failed) > MAX_REGIONS_NAMED else "")
            result.gaps.append((f"project {project.id}: Vertex AI {collection} ({VERTEX}) in {named}", reason))

    def record(self, run: Run, project: Project, result: ProjectResult) -> None:
        for name, amount in result.counts.items():
            run.count(name, amount)
        for what, why in result.gaps:
            run.gap(what, why)
            self.on_error(what, why)
        batch = FindingBatch()
        for observation in result.observations:
            add_cloud_findings(observation, self.matcher, batch, run, count_as="matched")
        run.count("observations", len(result.observations))
        commit_batch(self.db, run, batch, snapshot=True)
