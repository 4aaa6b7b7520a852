"""Several repositories at once in worker processes: forked (Linux) or spawned (elsewhere) workers give the
same results as scanning inline."""

import pytest

from scanner.modules.repo.parallel import scan_repositories
from scanner.modules.repo.repository import ScanOptions
from scanner.modules.repo.targets import parse_target
from tests.modules.repo.git_repos import write_tree


@pytest.mark.parametrize("start_method", ["fork", "spawn"])
def test_workers_return_what_an_inline_scan_finds(catalogue, tmp_path, start_method):
    targets = [parse_target(str(write_tree(tmp_path / name, files))) for name, files in (
        ("one", {"a.py": "import openai\n"}), ("two", {"b.go": 'import "github.com/sashabaranov/go-openai"\n'}),
        ("three", {"Dockerfile": "FROM ollama/ollama\n"}))]

    def found(results):
        return sorted((r.subject, f.service_id, f.location) for r in results for f in r.findings)

    inline = found(scan_repositories(targets, catalogue, ScanOptions(), jobs=1))
    parallel = found(scan_repositories(targets, catalogue, ScanOptions(), jobs=2, start_method=start_method))
    assert parallel == inline and len(inline) == 3
