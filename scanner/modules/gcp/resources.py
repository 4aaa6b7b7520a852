"""What exists in a project: projects, enabled APIs, Vertex AI resources per region, Workbench instances.

Each reader calls one documented REST method through the Google client and turns its JSON into observations;
nothing here knows which API is "AI" — the catalogue decides (its gcp identifiers are API service names).

- Cloud Resource Manager v3 ``projects:search`` → ``projects[]`` (projectId, name ``projects/NUMBER``, state)
- Service Usage v1 ``projects/P/services?filter=state:ENABLED`` → ``services[]`` (config.name, config.title)
- Vertex AI v1 ``projects/P/locations`` and, per region, ``endpoints`` (with ``deployedModels``), ``models``,
  ``tuningJobs`` and ``notebookRuntimes`` (Colab Enterprise)
- Notebooks v2 ``projects/P/locations/-/instances`` (Workbench; ``-`` is every location, per AIP-159)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

from scanner import observations as obs
from scanner.clients.google import GoogleClient

SOURCE = "gcp"
VERTEX = "aiplatform.googleapis.com"
WORKBENCH = "notebooks.googleapis.com"


@dataclass(frozen=True)
class Project:
    id: str  # projectId, e.g. "ml-sandbox-123"
    number: str | None  # from name "projects/415104041262"

    @classmethod
    def from_api(cls, item: dict[str, Any]) -> "Project | None":
        project_id = item.get("projectId")
        if not project_id:
            return None
        name = item.get("name") or ""
        return cls(project_id, name.split("/", 1)[1] if name.startswith("projects/") else None)


def projects(client: GoogleClient) -> Iterator[Project]:
    """Active projects the credentials may read (resourcemanager.projects.get)."""
    for item in client.items("cloudresourcemanager", "v3/projects:search", "projects",
                             {"query": "state:ACTIVE", "pageSize": 500}):
        if item.get("state", "ACTIVE") == "ACTIVE":
            project = Project.from_api(item)
            if project:
                yield project


def enabled_services(client: GoogleClient, project: Project) -> list[obs.CloudResource]:
    found = []
    for item in client.items("serviceusage", f"v1/projects/{project.id}/services", "services",
                             {"filter": "state:ENABLED", "pageSize": 200}):
        name = (item.get("config") or {}).get("name") or item.get("name", "").rsplit("/", 1)[-1]
        if name:
            found.append(obs.CloudResource(provider="gcp", account=project.id, region="global", service=name,
                                           type="serviceusage.googleapis.com/Service", id=name, source=SOURCE,
                                           location="global"))
    return found


def vertex_regions(client: GoogleClient, project: Project) -> list[str]:
    return [item["locationId"] for item in client.items("aiplatform", f"v1/projects/{project.id}/locations", "locations",
                                                        {"pageSize": 100})
            if item.get("locationId")]


def resource(project: Project, region: str, service: str, kind: str, item: dict[str, Any],
             model: str | None = None, ident: str | None = None) -> obs.CloudResource:
    """One Vertex AI or Workbench resource, located at its resource name (``projects/…/endpoints/42``, as an AWS
    resource is at its ARN), so that each one is a finding of its own; the region when the API gives no name."""
    name = ident or item.get("name", "")
    return obs.CloudResource(provider="gcp", account=project.id, region=region, service=service,
                             type=f"{service}/{kind}", id=name, source=SOURCE,
                             location=name or region, model=model,
                             timestamp=item.get("updateTime") or item.get("createTime"))


def last_part(name: str | None) -> str | None:
    return name.rsplit("/", 1)[-1] if name else None


VERTEX_COLLECTIONS = ("endpoints", "models", "tuningJobs", "notebookRuntimes")


def vertex_collection(client: GoogleClient, project: Project, region: str,
                      collection: str) -> list[obs.CloudResource]:
    """One Vertex AI collection in one region: endpoints (one observation per deployed model), models (with the
    Model Garden model they come from), tuning jobs (with their base model), Colab Enterprise runtimes."""
    path = f"v1/projects/{project.id}/locations/{region}/{collection}"
    found: list[obs.CloudResource] = []
    for item in client.items("aiplatform", path, collection, {"pageSize": 100}, region=region):
        if collection == "endpoints":
            deployed = [d for d in item.get("deployedModels") or [] if isinstance(d, dict)]
            if not deployed:
                found.append(resource(project, region, VERTEX, "Endpoint", item))
            for model in deployed:
                found.append(resource(project, region, VERTEX, "DeployedModel", item,
                                      model=model.get("displayName") or last_part(model.get("model")),
                                      ident=f"{item.get('name', '')}/deployedModels/{model.get('id', '')}"))
        elif collection == "models":
            garden = ((item.get("baseModelSource") or {}).get("modelGardenSource") or {}).get("publicModelName")
            found.append(resource(project, region, VERTEX, "Model", item, model=garden or item.get("displayName")))
        elif collection == "tuningJobs":
            found.append(resource(project, region, VERTEX, "TuningJob", item, model=item.get("baseModel")))
        else:
            found.append(resource(project, region, VERTEX, "NotebookRuntime", item))
    return found


def workbench_instances(client: GoogleClient, project: Project) -> list[obs.CloudResource]:
    found = []
    for instance in client.items("notebooks", f"v2/projects/{project.id}/locations/-/instances", "instances",
                                 {"pageSize": 100}):
        name = instance.get("name", "")
        parts = name.split("/")
        zone = parts[3] if len(parts) > 3 and parts[2] == "locations" else "unknown"
        found.append(resource(project, zone, WORKBENCH, "Instance", instance, ident=name))
    return found
