"""The tree walk: symbolic links never followed, VCS folders skipped, special files left alone, paths tagged."""

import os

from scanner.modules.repo.walker import WalkStats, walk
from tests.modules.repo.git_repos import write_tree


def walked(root):
    stats = WalkStats()
    return {f.relative: f for f in walk(str(root), stats)}, stats


def test_a_symlink_pointing_outside_the_tree_is_not_followed(tmp_path):
    outside = write_tree(tmp_path / "outside", {"secret.txt": "OPENAI_API_KEY=outside\n"})
    repo = write_tree(tmp_path / "repo", {"app.py": "x = 1\n"})
    os.symlink(outside / "secret.txt", repo / "linked.txt")
    os.symlink(outside, repo / "linked-dir")
    os.symlink(repo, repo / "loop")
    files, stats = walked(repo)
    assert sorted(files) == ["app.py"]
    assert stats.symlinks_skipped == 3


def test_git_folders_are_skipped_and_files_come_in_a_stable_order(tmp_path):
    repo = write_tree(tmp_path / "r", {".git/config": "[core]\n", "b.py": "", "a/z.py": "", "a/b.py": ""})
    files, _ = walked(repo)
    assert list(files) == ["b.py", "a/b.py", "a/z.py"]  # a folder's files, then its sub-folders, by name


def test_a_fifo_is_left_alone(tmp_path):
    repo = write_tree(tmp_path / "r", {"a.py": ""})
    os.mkfifo(repo / "pipe")
    files, stats = walked(repo)
    assert list(files) == ["a.py"] and stats.special_skipped == 1


def test_paths_under_tests_examples_and_vendored_code_are_tagged_not_dropped(tmp_path):
    repo = write_tree(tmp_path / "r", {"src/a.py": "", "tests/unit/t.py": "", "examples/e.py": "",
                                       "node_modules/openai/index.js": "", "vendor/x/y.go": ""})
    files, _ = walked(repo)
    assert {path: f.tags for path, f in files.items()} == {
        "examples/e.py": ("example",), "node_modules/openai/index.js": ("vendor",), "src/a.py": (),
        "tests/unit/t.py": ("test",), "vendor/x/y.go": ("vendor",)}
