"""`shadowai scan repo` end to end: real git repositories cloned through file:// URLs into the inventory."""

import csv
import io
import json
import sqlite3

from tests.cli.runner import shadowai
from tests.modules.repo.git_repos import anthropic_key, make_repo, needs_git, openai_key, write_tree

pytestmark = needs_git

APP = {
    "requirements.txt": "fastapi==0.115\nopenai>=1.40\n",
    "app/summarise.py": "from openai import OpenAI\n",
    "README.md": "# support bot\nUses OpenAI to summarise tickets.\n",
    ".cursorrules": "Prefer small functions.\n",
}


def findings(db_path):
    with sqlite3.connect(db_path) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute("select * from findings order by service_id, location")]


def runs(db_path):
    with sqlite3.connect(db_path) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute("select * from runs order by id")]


def test_a_cloned_repository_is_named_by_its_url_with_locations_relative_to_its_root(tmp_path, db_path):
    url = make_repo(tmp_path / "origin", APP)
    result = shadowai("scan", "repo", url, "--db", db_path, "-q")
    assert result.exit_code == 0, result.output
    assert [(f["service_id"], f["subject"], f["location"]) for f in findings(db_path)] == [
        ("cursor", url, ".cursorrules"), ("openai-api", url, "app/summarise.py"),
        ("openai-api", url, "requirements.txt")]
    [run] = runs(db_path)
    [scanned] = json.loads(run["inputs"])
    assert (run["module"], run["status"], scanned["kind"], len(scanned["commit"])) == ("repo", "succeeded", "git", 40)


def test_a_rescan_of_the_same_repository_leaves_hit_counts_unchanged(tmp_path, db_path):
    root = write_tree(tmp_path / "svc", {"a.py": "import openai\nimport openai.types\n", "b.py": "import anthropic\n"})
    shadowai("scan", "repo", root, "--db", db_path, "-q")
    first = {(f["service_id"], f["location"]): f["hits"] for f in findings(db_path)}
    shadowai("scan", "repo", root, "--db", db_path, "-q")
    after = findings(db_path)
    assert {(f["service_id"], f["location"]): f["hits"] for f in after} == first == {
        ("anthropic-api", "b.py"): 1, ("openai-api", "a.py"): 2}
    assert {(f["first_run"], f["last_run"]) for f in after} == {(1, 2)}


def test_a_planted_key_leaves_no_trace_in_the_inventory_exports_or_output(tmp_path, db_path):
    key, other = openai_key(11), anthropic_key(12)
    notebook = {"cells": [{"cell_type": "code", "source": ["print(KEY)"], "metadata": {}, "execution_count": 1,
                           "outputs": [{"output_type": "stream", "name": "stdout", "text": [key]}]}],
                "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    url = make_repo(tmp_path / "leaky", {
        "config.py": f'OPENAI_API_KEY = "{key}"\n',
        ".env": f"ANTHROPIC_API_KEY={other}\n",
        "client.py": f'A = "https://api.openai.com/v1/models?key={key}"\nB = "https://api.openai.com/{key}/x"\n',
        "requirements.txt": f"openai=={key}\n",
        "package.json": f'{{"dependencies": {{"openai": "{key}"',  # not valid JSON: a parse error
        "pyproject.toml": f'[project]\ndependencies = ["{key}\n',
        "environment.yml": f"dependencies:\n  - pip:\n    - {key}\n  - [{key}\n",
        "notebook.ipynb": json.dumps(notebook, indent=1),
    })
    scan = shadowai("scan", "repo", url, "--db", db_path)
    export = shadowai("export", "--format", "csv", "--out", "-", "--db", db_path)
    inventory = shadowai("inventory", "--format", "json", "--db", db_path)
    history = shadowai("runs", "--db", db_path)
    rows = list(csv.DictReader(io.StringIO(export.stdout)))
    assert {r["service_id"] for r in rows if "secret" in r["evidence"]} == {"openai-api", "anthropic-api"}
    assert "package.json: javascript.package_json: cannot parse" in scan.stderr
    stored = b"".join(p.read_bytes() for p in tmp_path.glob(db_path.name + "*"))
    for secret in (key, other):
        for fragment in (secret, secret[4:], secret[-24:]):
            assert fragment.encode() not in stored
            for output in (scan.stdout, scan.stderr, export.stdout, inventory.stdout, history.stdout, history.stderr):
                assert fragment not in output


def test_a_clone_failure_is_an_error_and_a_gap_and_the_other_targets_are_still_scanned(tmp_path, db_path):
    good = write_tree(tmp_path / "good", {"a.py": "import openai\n"})
    missing = (tmp_path / "missing.git").as_uri()
    result = shadowai("scan", "repo", missing, good, "not-a-target", "--db", db_path, "--jobs", "1")
    assert result.exit_code == 1
    assert [f["subject"] for f in findings(db_path)] == [str(good)]
    [run] = runs(db_path)
    gaps = json.loads(run["coverage_gaps"])
    assert [gap["what"] for gap in gaps] == ["not-a-target", missing]
    assert run["status"] == "partial" and "git clone failed" in result.stderr


def test_repositories_are_scanned_in_parallel_worker_processes(tmp_path, db_path):
    first = make_repo(tmp_path / "one", {"a.py": "import openai\n"})
    second = make_repo(tmp_path / "two", {"b.ts": "import Anthropic from '@anthropic-ai/sdk'\n"})
    result = shadowai("scan", "repo", first, second, "--jobs", "2", "--db", db_path, "-q")
    assert result.exit_code == 0, result.output
    assert sorted((f["subject"], f["service_id"]) for f in findings(db_path)) == [
        (first, "openai-api"), (second, "anthropic-api")]
    assert json.loads(runs(db_path)[0]["counts"])["repositories"] == 2


def test_quiet_prints_nothing_on_success_and_the_summary_goes_to_stderr(tmp_path, db_path):
    root = write_tree(tmp_path / "r", {"a.py": "import openai\n"})
    quiet = shadowai("scan", "repo", root, "--db", db_path, "-q")
    loud = shadowai("--verbose", "scan", "repo", root, "--db", db_path)
    assert (quiet.stdout, quiet.stderr, loud.stdout) == ("", "", "")
    assert "run 2 succeeded: 1 repositories, 1 files, 1 findings, 0 errors" in loud.stderr


def test_fail_on_new_exits_3_for_a_new_unsanctioned_service_and_0_once_it_is_known(tmp_path, db_path):
    root = write_tree(tmp_path / "r", {"a.py": "import openai\n"})
    assert shadowai("scan", "repo", root, "--db", db_path, "-q", "--fail-on-new").exit_code == 3
    assert shadowai("scan", "repo", root, "--db", db_path, "-q", "--fail-on-new").exit_code == 0


def test_a_stop_request_ends_the_scan_between_repositories_as_interrupted(catalogue, tmp_path, db):
    from scanner.interruption import StopFlag
    from scanner.modules.repo.scan import RepoScan

    roots = [str(write_tree(tmp_path / name, {"a.py": "import openai\n"})) for name in ("one", "two")]
    stop = StopFlag()
    scan = RepoScan(db, catalogue, stop=stop)
    scan.record = lambda run, result, record=scan.record: (record(run, result), setattr(stop, "requested", "SIGTERM"))
    result = scan.run(roots)
    assert (result.status, result.counts["repositories"]) == ("interrupted", 1)
    [gap] = json.loads(runs(db.conn.execute("pragma database_list").fetchone()[2])[0]["coverage_gaps"])
    assert gap == {"what": "scan", "why": "stopped by SIGTERM after 1 of 2 repositories"}
