"""Shallow clones with the git CLI, and the HEAD commit read from .git without running git in the tree."""

import subprocess

import pytest

from scanner.modules.repo.git_clone import CloneError, head_commit, shallow_clone
from tests.modules.repo.git_repos import GIT, git_env, make_repo, needs_git

pytestmark = needs_git


def test_a_file_url_is_cloned_shallow(tmp_path):
    url = make_repo(tmp_path / "origin", {"a.txt": "one\n"})
    (tmp_path / "origin" / "a.txt").write_text("two\n")
    subprocess.run([GIT, "commit", "-qam", "second"], cwd=tmp_path / "origin", env=git_env(tmp_path), check=True)
    shallow_clone(url, tmp_path / "clone", timeout=30)
    log = subprocess.run([GIT, "rev-list", "--count", "HEAD"], cwd=tmp_path / "clone", capture_output=True, text=True)
    assert log.stdout.strip() == "1"
    assert (tmp_path / "clone" / "a.txt").read_text() == "two\n"


def test_head_commit_is_read_from_the_git_folder(tmp_path):
    make_repo(tmp_path / "r", {"a.txt": "x"})
    expected = subprocess.run([GIT, "rev-parse", "HEAD"], cwd=tmp_path / "r", capture_output=True, text=True)
    assert head_commit(tmp_path / "r") == expected.stdout.strip()
    assert head_commit(tmp_path) is None


def test_a_failed_clone_says_why_without_the_credentials(tmp_path):
    with pytest.raises(CloneError) as failure:
        shallow_clone("https://someone:s3cr3t-t0ken@127.0.0.1:9/nothing.git", tmp_path / "c", timeout=20)
    assert "s3cr3t-t0ken" not in str(failure.value)
    assert "git clone failed" in str(failure.value)


def test_a_missing_repository_fails_cleanly(tmp_path):
    with pytest.raises(CloneError):
        shallow_clone((tmp_path / "nope").as_uri(), tmp_path / "c", timeout=20)
