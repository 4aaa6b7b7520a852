"""`scan repo --engine dask`: one task per repository gives the findings of the local engine, also when a
worker dies mid-scan; workers never receive credentials written into a URL."""

from __future__ import annotations

import json
import sqlite3

import pytest


from scanner.cluster.dask_engine import TaskLedger, register_context, unregister_context, without_matcher
from scanner.modules.repo.dask_scan import CONTEXT_BUILDER, scan_repository
from scanner.modules.repo.repository import ScanOptions
from scanner.modules.repo.targets import Target
from tests.cli.runner import shadowai
from tests.modules.repo.git_repos import make_repo, needs_git, write_tree
from tests.support.dask_cluster import KillOnce, local_cluster

REPOS = {
    "billing": {"requirements.txt": "openai>=1.40\nrequests\n", "app/chat.py": "import anthropic\n",
                "Dockerfile": "FROM ollama/ollama:0.3\n"},
    "frontend": {"package.json": json.dumps({"dependencies": {"@anthropic-ai/sdk": "^0.30", "react": "18"}}),
                 "src/api.ts": 'const url = "https://api.openai.com/v1/chat/completions";\n',
                 ".cursorrules": "Use TypeScript.\n"},
    "models": {"weights/model.gguf": b"GGUF\x03\x00\x00\x00" + b"\x00" * 64, "README.md": "# models\n"},
}


@pytest.fixture(scope="module")
def cluster():
    with local_cluster(2) as client:
        yield client


@pytest.fixture
def targets(tmp_path) -> list[str]:
    folders = [str(write_tree(tmp_path / name, files)) for name, files in REPOS.items()]
    return folders + [make_repo(tmp_path / "remote-src", {"go.mod": "module x\n\nrequire github.com/sashabaranov/"
                                                                     "go-openai v1.20.0\n"})]


def findings(db_path) -> list[tuple]:
    with sqlite3.connect(db_path) as conn:
        return sorted(conn.execute("select service_id, source, subject, location, hits, matched_by, evidence "
                                   "from findings"))


def last_run(db_path) -> dict:
    with sqlite3.connect(db_path) as conn:
        row = conn.execute("select counts, coverage_gaps, parameters from runs order by id desc limit 1").fetchone()
    return {"counts": json.loads(row[0]), "gaps": json.loads(row[1]), "parameters": json.loads(row[2])}


def scan(targets, db_path, *extra):
    return shadowai("scan", "repo", *targets, "--db", db_path, "--quiet", *extra)


@needs_git
def test_the_dask_engine_finds_what_the_local_engine_finds(targets, tmp_path, cluster):
    local = scan(targets, tmp_path / "local.db", "--jobs", "2")
    dask = scan(targets, tmp_path / "dask.db", "--engine", "dask", "--scheduler", cluster.scheduler.address)
    assert local.exit_code == dask.exit_code == 0, dask.output
    expected = findings(tmp_path / "local.db")
    assert {row[0] for row in expected} >= {"openai-api", "anthropic-api", "ollama", "cursor", "unknown-model-file"}
    assert findings(tmp_path / "dask.db") == expected
    local_run, dask_run = last_run(tmp_path / "local.db"), last_run(tmp_path / "dask.db")
    for name in ("repositories", "files", "findings", "text_files", "model_files"):
        assert local_run["counts"].get(name) == dask_run["counts"].get(name), name
    assert dask_run["counts"]["cluster_tasks"] == 4 and dask_run["parameters"]["engine"] == "dask"


@needs_git
def test_a_worker_killed_mid_scan_changes_nothing_in_the_findings(targets, tmp_path, cluster):
    cluster.register_plugin(KillOnce("scan_repository", str(tmp_path / "killed")), name="kill-a-repo-worker")
    try:
        dask = scan(targets, tmp_path / "dask.db", "--engine", "dask", "--scheduler", cluster.scheduler.address)
    finally:
        cluster.unregister_worker_plugin("kill-a-repo-worker")
    scan(targets, tmp_path / "local.db")
    assert (tmp_path / "killed").exists() and dask.exit_code == 0
    assert findings(tmp_path / "dask.db") == findings(tmp_path / "local.db")
    run = last_run(tmp_path / "dask.db")
    assert run["counts"]["cluster_tasks_lost_with_worker"] >= 1 and run["counts"]["repositories"] == 4
    assert run["gaps"] == []


def test_credentials_in_a_url_are_not_sent_to_the_workers(tmp_path, cluster):
    result = scan(["https://x-access-token:ghp_notreal@git.example.invalid/acme/app.git"], tmp_path / "dask.db",
                  "--engine", "dask", "--scheduler", cluster.scheduler.address)
    assert result.exit_code == 1 and "ghp_notreal" not in result.output
    run = last_run(tmp_path / "dask.db")
    assert run["counts"]["cluster_tasks"] == 0
    assert run["gaps"][0]["what"] == "https://git.example.invalid/acme/app.git"
    assert "credentials in the URL are not sent" in run["gaps"][0]["why"]


def test_a_folder_the_workers_cannot_see_is_a_coverage_gap(tmp_path, cluster, catalogue):
    target = Target("directory", str(tmp_path / "not-mounted"), str(tmp_path / "not-mounted"))
    name = register_context(cluster, CONTEXT_BUILDER, (without_matcher(catalogue), ScanOptions()))
    try:
        with TaskLedger(cluster, "test") as ledger:
            outcome = ledger.result(ledger.submit(scan_repository, name, target))
    finally:
        unregister_context(cluster, name)
    assert outcome.findings == [] and "not a folder on the Dask worker" in outcome.gaps[0][1]
