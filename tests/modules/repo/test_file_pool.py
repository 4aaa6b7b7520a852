"""One repository's files split across forked worker processes give exactly what a scan in one process gives."""

import pytest

from scanner.modules.repo import file_pool
from scanner.modules.repo.repository import RepositoryScanner, ScanOptions
from scanner.modules.repo.targets import parse_target
from tests.modules.repo.git_repos import openai_key, write_tree

pytestmark = pytest.mark.skipif(not file_pool.can_fork(), reason="workers are forked (Linux)")

FILES = {
    "a/app.py": "from openai import OpenAI\nimport os\nKEY = os.environ['OPENAI_API_KEY']\n",
    "a/b/client.ts": "import Anthropic from '@anthropic-ai/sdk'\n",
    "a/b/util.py": "def add(a, b):\n    return a + b\n",
    "c/requirements.txt": "openai==1.40\nlangchain\n",
    "c/config.yaml": "base_url: https://api.mistral.ai/v1\n",
    "c/d/broken.json": '{"endpoint": "https://api.openai.com/v1", ',
    "c/d/key.env": f"OPENAI_API_KEY={openai_key(21)}\n",
    "e/README.md": "Uses OpenAI.\n",
    "e/Dockerfile": "FROM ollama/ollama\n",
    "e/model.gguf": b"GGUF\x03\x00\x00\x00" + bytes(64),
    "e/package.json": '{"dependencies": {"openai": ',  # a parse error, located
    "z/app.py": "import openai\nimport openai.types\n",
}


def scanned(catalogue, root, workers):
    result = RepositoryScanner(catalogue.matcher, ScanOptions(file_workers=workers)).scan(parse_target(str(root)))
    return ([(f.service_id, f.location, f.hits, f.evidence) for f in result.findings], result.counts, result.errors,
            result.gaps)


def test_a_split_scan_finds_counts_and_reports_what_one_process_does(catalogue, tmp_path, monkeypatch):
    root = write_tree(tmp_path / "repo", FILES)
    inline = scanned(catalogue, root, 1)
    submitted = []

    class CountingPool(file_pool.ProcessPoolExecutor):
        def submit(self, *args, **kwargs):
            submitted.append(args[2])
            return super().submit(*args, **kwargs)

    monkeypatch.setattr(file_pool, "INLINE_FILES", 2)
    monkeypatch.setattr(file_pool, "BATCH_FILES", 2)
    monkeypatch.setattr(file_pool, "ProcessPoolExecutor", CountingPool)
    split = scanned(catalogue, root, 2)
    assert split == inline
    assert len(submitted) == 5  # 12 files: one batch in the parent, then five batches of two in the workers
    assert {"openai-api", "anthropic-api", "ollama", "unknown-model-file"} <= {f[0] for f in inline[0]}


def test_a_split_scan_cut_off_by_the_time_budget_records_the_gap(catalogue, tmp_path, monkeypatch):
    root = write_tree(tmp_path / "repo", {f"m{i}.py": "import openai\n" for i in range(40)})
    monkeypatch.setattr(file_pool, "INLINE_FILES", 0)
    monkeypatch.setattr(file_pool, "BATCH_FILES", 4)
    options = ScanOptions(file_workers=2, time_budget=1e-9)
    result = RepositoryScanner(catalogue.matcher, options).scan(parse_target(str(root)))
    assert result.counts["repositories_cut_off"] == 1 and result.counts["files"] < 40
    assert [why for _, why in result.gaps if why.startswith("time budget of 1e-09s reached after")]


def die(subject, files):
    import os

    os._exit(9)  # as the kernel's out-of-memory killer would end it


def test_a_worker_that_dies_is_an_error_and_a_gap_and_what_was_scanned_is_kept(catalogue, tmp_path, monkeypatch):
    root = write_tree(tmp_path / "repo", {f"m{i:02d}.py": "import openai\n" for i in range(12)})
    monkeypatch.setattr(file_pool, "INLINE_FILES", 4)
    monkeypatch.setattr(file_pool, "BATCH_FILES", 4)
    monkeypatch.setattr(file_pool, "_scan_batch", die)
    result = RepositoryScanner(catalogue.matcher, ScanOptions(file_workers=2)).scan(parse_target(str(root)))
    assert [f.location for f in result.findings] == ["m00.py", "m01.py", "m02.py", "m03.py"]
    assert result.errors == [(str(root), "a worker process ended unexpectedly")]
    assert result.gaps == [(str(root), "a worker process ended unexpectedly after 4 files; the rest of the "
                                       "repository was not scanned")]
