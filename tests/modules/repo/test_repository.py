"""One repository's scan: bounded reads, bad files counted and located, the rest still scanned."""

import json

from scanner.modules.repo import reading
from scanner.modules.repo.repository import RepositoryScanner, ScanOptions
from scanner.modules.repo.targets import parse_target
from tests.modules.repo.detectors.test_model_files import safetensors
from tests.modules.repo.git_repos import write_tree


def scan(catalogue, root, **options):
    return RepositoryScanner(catalogue.matcher, ScanOptions(**options)).scan(parse_target(str(root)))


def services(result):
    return sorted({(f.service_id, f.location) for f in result.findings})


def test_a_bad_manifest_is_a_located_error_and_the_rest_is_still_scanned(catalogue, tmp_path):
    root = write_tree(tmp_path / "r", {"package.json": '{"dependencies": {"openai": ', "requirements.txt": "openai\n",
                                       "broken.ipynb": '{"cells": [{"source": ["import openai'})
    result = scan(catalogue, root)
    assert services(result) == [("openai-api", "requirements.txt")]
    assert sorted(result.errors) == [
        (f"{root}:broken.ipynb", "notebooks.Notebook: cannot parse (JSONDecodeError at line 1)"),
        (f"{root}:package.json", "javascript.package_json: cannot parse (JSONDecodeError at line 1)")]


def test_binary_and_invalid_utf8_files_are_skipped_cleanly(catalogue, tmp_path):
    root = write_tree(tmp_path / "r", {"data.py": b"import openai\n\x00\x01", "latin.py": "import openai # caf\xe9\n"
                                       .encode("latin-1"), "ok.py": "import openai\n"})
    result = scan(catalogue, root)
    assert services(result) == [("openai-api", "ok.py")]
    assert (result.counts["binary_files"], result.counts["files_not_utf8"], result.errors) == (1, 1, [])


def test_a_text_file_over_the_limit_is_a_coverage_gap_but_a_model_is_recognised_at_any_size(catalogue, tmp_path):
    root = write_tree(tmp_path / "r", {"big.py": "import openai\n" + "#" * 5000, "w.safetensors": safetensors(),
                                       "weights.bin": b"GGUF" + b"\0" * 5000})
    result = scan(catalogue, root, max_file_size=1000)
    assert services(result) == [("unknown-model-file", "w.safetensors"), ("unknown-model-file", "weights.bin")]
    [(what, why)] = result.gaps
    assert what == str(root) and why.startswith("1 text file(s) larger than 1000 bytes") and "big.py" in why
    gguf = next(f for f in result.findings if f.location == "weights.bin")
    assert gguf.evidence["size"] == 5004 and len(gguf.evidence["sha256"]) == 64


def test_the_time_budget_cuts_the_scan_off_and_says_so(catalogue, tmp_path):
    root = write_tree(tmp_path / "r", {f"m{i}.py": "import openai\n" for i in range(20)})
    result = scan(catalogue, root, time_budget=1e-9)
    assert [why for _, why in result.gaps if "time budget" in why]
    assert result.counts.get("repositories_cut_off") == 1


def test_an_unreadable_file_is_an_error_and_a_gap(catalogue, tmp_path, monkeypatch):
    root = write_tree(tmp_path / "r", {"a.py": "import openai\n", "locked.py": "import anthropic\n"})
    real = reading.read_prefix

    def read_prefix(path, limit):
        if path.endswith("locked.py"):
            raise PermissionError(13, "Permission denied")
        return real(path, limit)

    monkeypatch.setattr(reading, "read_prefix", read_prefix)
    result = scan(catalogue, root)
    assert services(result) == [("openai-api", "a.py")]
    assert result.errors == [(f"{root}:locked.py", "cannot read: Permission denied")]
    assert "1 file(s) or folder(s) could not be read: locked.py" in result.gaps[0][1]


def test_findings_are_consolidated_per_file_keeping_the_most_confident_sample(catalogue, tmp_path):
    root = write_tree(tmp_path / "r", {"app.py": "import os\nKEY = os.environ['OPENAI_API_KEY']\nimport openai\n"})
    [finding] = scan(catalogue, root).findings
    assert (finding.hits, finding.evidence["kind"], finding.evidence["line"]) == (2, "import", 3)


def test_a_git_lfs_pointer_and_tags_are_in_the_evidence(catalogue, tmp_path):
    oid = "a" * 64
    pointer = f"version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\nsize 123456789\n"
    root = write_tree(tmp_path / "r", {"examples/models/m.gguf": pointer,
                                       "tests/fixtures/package.json": json.dumps({"dependencies": {"openai": "4"}})})
    found = {f.location: f.evidence for f in scan(catalogue, root).findings}
    assert found["examples/models/m.gguf"]["sha256"] == oid and found["examples/models/m.gguf"]["tags"] == "example"
    assert found["tests/fixtures/package.json"]["tags"] == "test"


def test_a_large_binary_without_an_extension_is_not_reported_as_an_unread_text_file(catalogue, tmp_path):
    root = write_tree(tmp_path / "r", {"blob": b"\x00\x01" * 2000})
    result = scan(catalogue, root, max_file_size=1000)
    assert (result.gaps, result.counts["binary_files"]) == ([], 1)
