"""`shadowai scan repo` options and exit codes."""

import pytest

from scanner.modules.repo.command import ByteSize
from tests.cli.runner import shadowai
from tests.modules.repo.git_repos import write_tree


@pytest.mark.parametrize("text, size", [("500000", 500000), ("512K", 524288), ("5M", 5 * 1024 ** 2),
                                        ("1GiB", 1024 ** 3), ("1.5m", int(1.5 * 1024 ** 2))])
def test_sizes_are_read_with_binary_units(text, size):
    assert ByteSize().convert(text, None, None) == size


def test_a_bad_size_is_a_usage_error(tmp_path, db_path):
    assert shadowai("scan", "repo", tmp_path, "--max-file-size", "huge", "--db", db_path).exit_code == 2


def test_a_missing_directory_is_a_partial_run_with_exit_code_1(tmp_path, db_path):
    good = write_tree(tmp_path / "good", {"a.py": "import openai\n"})
    result = shadowai("scan", "repo", good, tmp_path / "missing", "--db", db_path, "-q")
    assert result.exit_code == 1
    assert "not a directory, and not a git URL" in result.stderr
