"""Repositories listed through a code host's API — a GitHub organisation's, a GitLab group's (subgroups
included) — as clone targets for `scan repo`.

GitHub: ``GET /orgs/{org}/repos?type=all`` (Link paging), each repository's ``clone_url``, ``archived``,
``fork`` and ``disabled``. GitLab: ``GET /groups/{id}/projects?include_subgroups=true`` (Link paging), each
project's ``http_url_to_repo``, ``archived``, ``forked_from_project``, ``empty_repo`` and
``repository_access_level``. Archived repositories are scanned and forks skipped unless the options say
otherwise; what is skipped, and why, is counted in the run. A repository is named in the inventory by its clone
URL, as if the URL had been given on the command line. The API token also authenticates the clones, through
git's environment and only towards the API's own host (see git_clone.with_auth_header). A denied or failed
listing is an error and a coverage gap of the run; the other organisations and targets are still scanned.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterator

from scanner.clients.http import ApiDenied, ApiError, ApiNotFound
from scanner.modules.repo.targets import GIT_SCHEMES, CloneAuth, Target, redact_url

if TYPE_CHECKING:
    from scanner.clients.github import GitHubClient
    from scanner.clients.gitlab import GitLabClient
    from scanner.inventory.runs import Run

GITHUB_CLONE_USER = "x-access-token"  # GitHub: any user name with the token as password; this one is documented
GITLAB_CLONE_USER = "oauth2"  # GitLab: a token as password with the user name oauth2 (or any name)


@dataclass(frozen=True)
class Listed:
    """One repository as the API describes it."""
    name: str
    clone_url: str
    archived: bool = False
    fork: bool = False
    empty: bool = False  # no commits, or no repository (a GitLab project with its repository feature off)
    unavailable: str = ""  # why it cannot be read (GitHub: access disabled), or ""


def github_repositories(client: "GitHubClient", org: str) -> Iterator[Listed]:
    for item in client.org_repositories(org):
        yield Listed(str(item.get("full_name") or item.get("name") or "?"), str(item.get("clone_url") or ""),
                     bool(item.get("archived")), bool(item.get("fork")),
                     unavailable="access disabled by GitHub" if item.get("disabled") else "")


def gitlab_repositories(client: "GitLabClient", group: str) -> Iterator[Listed]:
    for item in client.group_projects(group):  # archived ones too: skipped here, so that they are counted
        yield Listed(str(item.get("path_with_namespace") or item.get("name") or "?"),
                     str(item.get("http_url_to_repo") or ""), bool(item.get("archived")),
                     item.get("forked_from_project") is not None,
                     empty=bool(item.get("empty_repo")) or item.get("repository_access_level") == "disabled")


@dataclass
class HostedListing:
    """The repositories of one organisation or group, listed when the run starts."""
    host: str  # github | gitlab
    owner: str  # the organisation or group
    repositories: Callable[[], Iterator[Listed]]
    auth: CloneAuth | None
    include_archived: bool = True
    include_forks: bool = False

    @property
    def label(self) -> str:
        return f"{self.host}:{self.owner}"

    def targets(self, run: "Run", on_error: Callable[[str, str], None],
                should_stop: Callable[[], bool] = lambda: False) -> list[Target]:
        found: list[Target] = []
        try:
            for listed in self.repositories():
                run.count(f"{self.host}_repositories_listed")
                target = self.target(run, listed)
                if target is not None:
                    found.append(target)
                if should_stop():
                    run.gap(self.label, f"listing stopped after {len(found)} repositories")
                    break
        except ApiDenied as exc:
            on_error(self.label, f"cannot list repositories: {exc}")
            run.gap(self.label, f"repositories not listed: permission denied ({exc.status}); the token needs "
                                + ("read access to the organisation's repositories" if self.host == "github"
                                   else "the read_api scope and access to the group"))
        except ApiNotFound:
            on_error(self.label, "cannot list repositories: not found")
            run.gap(self.label, f"repositories not listed: {self.owner} was not found (or the token cannot see it)")
        except ApiError as exc:
            on_error(self.label, f"cannot list repositories: {exc}")
            run.gap(self.label, f"repositories not listed after {len(found)}: {exc}")
        return found

    def target(self, run: "Run", listed: Listed) -> Target | None:
        skip = ("archived" if listed.archived and not self.include_archived
                else "fork" if listed.fork and not self.include_forks else "")
        if skip:
            run.count(f"repositories_skipped_{skip}")
            return None
        if listed.empty:
            run.count("repositories_empty")
            return None
        if listed.unavailable:
            run.count("repositories_not_cloneable")
            run.gap(f"{self.label}/{listed.name}", f"not scanned: {listed.unavailable}")
            return None
        scheme = listed.clone_url.split("://", 1)[0].lower() if "://" in listed.clone_url else ""
        if scheme not in GIT_SCHEMES:
            run.error(f"{self.label}/{listed.name}", "the API gave no usable clone URL")
            return None
        return Target("git", listed.clone_url, redact_url(listed.clone_url), self.auth)


def describe(listings: list[HostedListing]) -> list[dict[str, Any]]:
    """The listings as the run's parameters record them."""
    return [{"host": listing.host, "owner": listing.owner, "include_archived": listing.include_archived,
             "include_forks": listing.include_forks} for listing in listings]
