"""`scan repo --engine dask`: one task per repository on a Dask cluster, running the local engine's scanner.

Each worker builds one RepositoryScanner (catalogue, matcher, pre-filters) per scan from a worker plugin; a
task clones or opens its repository on the worker, scans it exactly as `scan repo` does here, and returns the
RepoResult — findings already consolidated per key. The client records each result as it arrives (a snapshot
batch per repository, RepoScan.record), so the findings are those of the local engine.

Workers clone with their own git credentials (a credential helper, ssh keys, GITHUB_TOKEN/GITLAB_TOKEN in their
environment for organisation listings); a URL with credentials written into it is refused rather than sent to
the cluster. A local folder must be mounted at the same path on every worker.
"""

from __future__ import annotations

import dataclasses
import os
from typing import Any, Callable, Iterator
from urllib.parse import urlsplit

from scanner.cluster.dask_engine import (TaskFailed, TaskLedger, cluster_description, register_context,
                                         unregister_context, without_matcher)
from scanner.inventory.runs import Run
from scanner.modules.repo.repository import RepoResult, RepositoryScanner
from scanner.modules.repo.scan import RepoScan
from scanner.modules.repo.targets import Target

CONTEXT_BUILDER = "scanner.modules.repo.dask_scan:build_context"


def build_context(value: tuple) -> RepositoryScanner:
    catalogue, options = value
    return RepositoryScanner(catalogue.matcher, options)


def not_scanned(target: Target, message: str) -> RepoResult:
    result = RepoResult(target.subject, target.kind)
    result.errors.append((target.subject, message))
    result.gaps.append((target.subject, f"not scanned: {message}"))
    result.details = {"repo": target.subject, "kind": target.kind}
    return result


def scan_repository(context_name: str, target: Target) -> RepoResult:
    from scanner.cluster.context import worker_context

    scanner = worker_context(context_name)
    if target.kind == "directory" and not os.path.isdir(target.argument):
        return not_scanned(target, "not a folder on the Dask worker (mount local folders at the same path on "
                                   "every worker)")
    return scanner.scan(target)


def credentials_in_url(target: Target) -> bool:
    """https://TOKEN@host/… or https://user:password@host/…: not sent to the cluster. An ssh login
    (ssh://git@host, git@host:path) is a user name, not a secret."""
    if not target.is_remote or "://" not in target.argument:
        return False
    parts = urlsplit(target.argument)
    return bool(parts.password) or (bool(parts.username) and parts.scheme.lower() in ("http", "https"))


class DaskRepoScan(RepoScan):
    def __init__(self, db, catalogue, options=None, *, client, **kwargs) -> None:
        self.client = client
        self.cluster = cluster_description(client)
        super().__init__(db, catalogue, options, jobs=max(2, self.cluster["threads"]), **kwargs)

    def engine_parameters(self) -> dict:
        return self.cluster

    def scan_targets(self, run: Run, targets: list[Target], on_file: Callable[[int], None] | None
                     ) -> Iterator[RepoResult]:
        from distributed import as_completed

        options = dataclasses.replace(self.options, file_workers=1)  # a task never forks inside a worker
        name = register_context(self.client, CONTEXT_BUILDER, (without_matcher(self.catalogue), options))
        futures: dict[Any, Target] = {}
        with TaskLedger(self.client, "shadowai-repo") as ledger:
            try:
                for target in targets:
                    if credentials_in_url(target):
                        yield not_scanned(target, "credentials in the URL are not sent to cluster workers: give "
                                                  "the workers a git credential helper or ssh key instead")
                    else:
                        futures[ledger.submit(scan_repository, name, target)] = target
                for future in as_completed(list(futures), loop=self.client.loop):
                    target = futures[future]
                    try:
                        result = ledger.result(future)
                    except TaskFailed as exc:
                        result = not_scanned(target, f"the cluster task {exc}")
                    ledger.record(run)
                    yield result
                    if self.stop:
                        break
            finally:
                ledger.cancel([f for f in futures if not f.done()])
                ledger.record(run)
                unregister_context(self.client, name)
