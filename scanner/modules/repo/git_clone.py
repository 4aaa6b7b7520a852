"""A shallow clone with the git CLI, and the commit a checkout is at, read without running git in it.

git runs with an argument list (never a shell), ``--`` before the URL, only the transports in
GIT_ALLOW_PROTOCOL, no terminal prompt (a missing credential fails instead of hanging a cron job), ssh in
batch mode, and Git LFS smudging off (pointer files are what the scan wants; model weights are not
downloaded). Credentials come only from git's own mechanisms: credential helpers, ~/.netrc, ssh keys and
agents, or a URL the user wrote them into (which is then never stored or printed); for repositories listed
through a code host's API, the API token as an HTTP header set through git's environment (with_auth_header).
"""

from __future__ import annotations

import base64
import os
import re
import shutil
import subprocess
from pathlib import Path

from scanner.modules.repo.targets import CloneAuth, redact_text

ALLOWED_PROTOCOLS = "https:http:ssh:git:file"
HEX40 = re.compile(r"^[0-9a-f]{40}([0-9a-f]{24})?$")


class CloneError(Exception):
    """The repository could not be cloned; the message holds no credentials."""


def git_environment() -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "GIT_TERMINAL_PROMPT": "0",
        "GCM_INTERACTIVE": "never",
        "GIT_LFS_SKIP_SMUDGE": "1",
        "GIT_ALLOW_PROTOCOL": ALLOWED_PROTOCOLS,
        "LC_ALL": "C",
    })
    if "GIT_SSH_COMMAND" not in env and "GIT_SSH" not in env:
        env["GIT_SSH_COMMAND"] = "ssh -o BatchMode=yes"
    return env


def with_auth_header(env: dict[str, str], url: str, auth: CloneAuth | None) -> dict[str, str]:
    """The environment plus, for a URL under the token's host, ``http.<prefix>.extraHeader`` set through git's
    GIT_CONFIG_COUNT/KEY/VALUE variables (git 2.31+): the token never appears in git's arguments (visible to
    every user in ps), in the URL, in a file, or in git's messages. Plain http is never given the token."""
    if auth is None or not auth.url_prefix.startswith("https://") or not url.startswith(auth.url_prefix):
        return env
    token = os.environ.get(auth.token_variable, "").strip()
    if not token:
        return env
    index = int(env.get("GIT_CONFIG_COUNT", "0") or 0)
    basic = base64.b64encode(f"{auth.username}:{token}".encode()).decode("ascii")
    return {**env, "GIT_CONFIG_COUNT": str(index + 1),
            f"GIT_CONFIG_KEY_{index}": f"http.{auth.url_prefix}.extraHeader",
            f"GIT_CONFIG_VALUE_{index}": f"Authorization: Basic {basic}"}


def shallow_clone(url: str, destination: Path, *, timeout: float, auth: CloneAuth | None = None) -> None:
    git = shutil.which("git")
    if git is None:
        raise CloneError("git is not installed (needed to clone a URL target)")
    command = [git, "-c", "core.symlinks=true", "-c", "submodule.recurse=false", "clone", "--depth", "1",
               "--single-branch", "--no-tags", "--quiet", "--", url, str(destination)]
    try:
        done = subprocess.run(command, env=with_auth_header(git_environment(), url, auth), stdin=subprocess.DEVNULL,
                              capture_output=True, timeout=max(timeout, 1.0), check=False)
    except subprocess.TimeoutExpired as exc:
        raise CloneError(f"git clone did not finish within {timeout:.0f}s") from exc
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        last = message[-1] if message else f"exit status {done.returncode}"
        raise CloneError(redact_text(f"git clone failed: {last[:300]}", url))


def head_commit(root: Path) -> str | None:
    """The commit HEAD points at, from the files under .git (git itself is not run in a scanned tree)."""
    git_dir = root / ".git"
    try:
        if git_dir.is_file():  # a worktree or submodule: "gitdir: <path>"
            pointer = git_dir.read_text(encoding="utf-8", errors="replace").strip()
            if not pointer.startswith("gitdir:"):
                return None
            git_dir = (root / pointer.split(":", 1)[1].strip()).resolve()
        head = (git_dir / "HEAD").read_text(encoding="utf-8", errors="replace").strip()
        if HEX40.match(head):
            return head
        if not head.startswith("ref:"):
            return None
        ref = head.split(":", 1)[1].strip()
        if ".." in ref.split("/"):
            return None
        ref_file = git_dir / ref
        if ref_file.is_file():
            value = ref_file.read_text(encoding="utf-8", errors="replace").strip()
            return value if HEX40.match(value) else None
        packed = git_dir / "packed-refs"
        if packed.is_file():
            for line in packed.read_text(encoding="utf-8", errors="replace").splitlines():
                value, _, name = line.partition(" ")
                if name == ref and HEX40.match(value):
                    return value
    except OSError:
        return None
    return None
