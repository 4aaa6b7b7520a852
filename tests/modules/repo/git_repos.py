"""Real git repositories for the tests, made with the git CLI in a temp dir, and synthetic API keys."""

from __future__ import annotations

import os
import random
import shutil
import string
import subprocess
from pathlib import Path

import pytest

GIT = shutil.which("git")
needs_git = pytest.mark.skipif(GIT is None, reason="git is not installed")


def git_env(home: Path) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.invalid",
        "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.invalid",
    }


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def make_repo(root: Path, files: dict[str, str | bytes]) -> str:
    """A committed git repository with these files; returns its file:// URL."""
    write_tree(root, files)
    env = git_env(root.parent)
    for command in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "fixture"]):
        subprocess.run([GIT, *command], cwd=root, env=env, check=True, capture_output=True)
    return root.resolve().as_uri()


def synthetic(alphabet: str, length: int, seed: int) -> str:
    rng = random.Random(seed)
    return "".join(rng.choice(alphabet) for _ in range(length))


def openai_key(seed: int = 1) -> str:
    """Shaped like an OpenAI project key (sk-proj-…T3BlbkFJ…), made up at test time."""
    body = string.ascii_letters + string.digits
    return f"sk-proj-{synthetic(body, 40, seed)}T3BlbkFJ{synthetic(body, 40, seed + 1)}"


def anthropic_key(seed: int = 3) -> str:
    return f"sk-ant-api03-{synthetic(string.ascii_letters + string.digits, 93, seed)}AA"


def deepseek_style_key(seed: int = 5) -> str:
    """sk- and 32 hex digits: DeepSeek's shape, which is not an OpenAI key."""
    return "sk-" + synthetic("0123456789abcdef", 32, seed)
