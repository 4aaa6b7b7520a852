"""Build the demo environment: a week of Squid proxy log from a few users (AI services, ordinary sites,
look-alike domains and one corrupt line), a DNS host list, and a tiny git repository of an AI-using app.

Everything is generated from a fixed seed, relative to "now", so that the demo looks current and is the
same every time.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import time
from pathlib import Path

USERS = {"alice": "10.20.1.11", "bob": "10.20.1.12", "carol": "10.20.2.31", "dave": "10.20.2.40", "erin": "10.20.3.7"}

# (host, path, method, users who visit it, visits per user per day)
AI_TRAFFIC = [
    ("chatgpt.com", "/backend-api/conversation", "POST", ["alice", "bob", "carol"], 12),
    ("api.openai.com", "/v1/chat/completions", "POST", ["dave"], 40),
    ("claude.ai", "/api/organizations", "GET", ["alice", "erin"], 8),
    ("gemini.google.com", "/app", "GET", ["bob"], 5),
    ("www.perplexity.ai", "/search", "GET", ["carol", "erin"], 4),
    ("huggingface.co", "/meta-llama", "GET", ["dave"], 3),
    ("chat.deepseek.com", "/api/v0/chat/completion", "POST", ["erin"], 6),
    ("otter.ai", "/forward/api/v1/speeches", "GET", ["bob"], 2),
    ("www.deepl.com", "/translator", "GET", ["carol"], 3),
]
ORDINARY_TRAFFIC = [
    ("www.wikipedia.org", "/wiki/ISO/IEC_42001", "GET"),
    ("outlook.office.com", "/mail/", "GET"),
    ("www.google.com", "/search", "GET"),
    ("github.com", "/acme/payments", "GET"),
    ("www.bbc.co.uk", "/news", "GET"),
    ("gemini.com", "/prices/bitcoin", "GET"),  # a crypto exchange, not Google Gemini
    ("notopenai.com", "/", "GET"),  # look-alike
    ("x.com", "/home", "GET"),  # not xAI
]

REPO_FILES = {
    "requirements.txt": "fastapi==0.115.0\nopenai>=1.40\nlangchain-anthropic==0.3.0\n",
    "package.json": json.dumps({"name": "support-bot", "dependencies": {"@anthropic-ai/sdk": "^0.30.0",
                                                                         "express": "^4.19.0"}}, indent=2) + "\n",
    "app/summarise.py": "import os\n\nfrom openai import OpenAI\n\nclient = OpenAI(api_key=os.environ['OPENAI_API_KEY'])\n",
    ".env.example": "OPENAI_API_KEY=\nANTHROPIC_API_KEY=\n",
    "README.md": "# support-bot\nSummarises support tickets. Mentions OpenAI in prose, which is not a use.\n",
    "docker-compose.yml": "services:\n  bot:\n    build: .\n  llm:\n    image: ollama/ollama:0.5.7\n",
    ".cursorrules": "Keep handlers small; never log ticket contents.\n",
    "AGENTS.md": "# Agent notes\nRun the tests before committing.\n",
}
# Where the demo repository "lives": its subject in the inventory, as a real remote URL would be.
REPO_REMOTE = "https://git.example.com/acme/support-bot.git"


def squid_line(when: float, user: str, host: str, path: str, method: str, rng: random.Random) -> str:
    client = USERS[user]
    size = rng.randint(300, 60000)
    elapsed = rng.randint(20, 3000)
    if method == "CONNECT" or host.endswith(("openai.com", "claude.ai")):
        return (f"{when:.3f} {elapsed:6d} {client} TCP_TUNNEL/200 {size} CONNECT {host}:443 {user} "
                f"HIER_DIRECT/{host} -")
    return (f"{when:.3f} {elapsed:6d} {client} TCP_MISS/200 {size} {method} https://{host}{path} {user} "
            f"HIER_DIRECT/{host} text/html")


def write_proxy_log(path: Path, now: float, days: int = 7, seed: int = 42001) -> int:
    rng = random.Random(seed)
    entries: list[tuple[float, str]] = []
    start = now - days * 86400
    for day in range(days):
        day_start = start + day * 86400 + 8 * 3600
        for host, url_path, method, users, per_day in AI_TRAFFIC:
            for user in users:
                for _ in range(per_day):
                    when = day_start + rng.uniform(0, 9 * 3600)
                    entries.append((when, squid_line(when, user, host, url_path, method, rng)))
        for user in USERS:
            for _ in range(25):
                host, url_path, method = rng.choice(ORDINARY_TRAFFIC)
                when = day_start + rng.uniform(0, 9 * 3600)
                entries.append((when, squid_line(when, user, host, url_path, method, rng)))
    entries.sort()
    lines = [line for _, line in entries]
    middle = lines[len(lines) // 2]
    lines.insert(len(lines) // 2, " ".join(middle.split()[:6]) + " https://chatgpt.com/back")  # cut short (disk full)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


def write_dns_hosts(path: Path) -> None:
    path.write_text(
        "# hosts resolved by the lab's DNS forwarder, exported from its query log\n"
        "api.anthropic.com\nbedrock-runtime.eu-west-1.amazonaws.com\nacme-openai.openai.azure.com\n"
        "api.mistral.ai\nregistry.npmjs.org\npypi.org\nwww.debian.org\n",
        encoding="utf-8",
    )


def write_repo(path: Path) -> bool:
    """A tiny git repository; returns False when git is not installed (the files are still written)."""
    for name, content in REPO_FILES.items():
        target = path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    git = shutil.which("git")
    if git is None:
        return False
    env = {"GIT_AUTHOR_NAME": "Demo", "GIT_AUTHOR_EMAIL": "demo@example.invalid", "GIT_COMMITTER_NAME": "Demo",
           "GIT_COMMITTER_EMAIL": "demo@example.invalid", "HOME": str(path), "PATH": "/usr/bin:/bin"}
    for command in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "support bot"]):
        subprocess.run([git, *command], cwd=path, env=env, check=True, capture_output=True)
    return True


def build(root: Path, now: float | None = None) -> dict[str, Path]:
    now = time.time() if now is None else now
    logs = root / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    proxy_log = logs / "access.log"
    write_proxy_log(proxy_log, now)
    dns_hosts = logs / "dns-hosts.txt"
    write_dns_hosts(dns_hosts)
    repo = root / "repos" / "support-bot"
    write_repo(repo)
    return {"proxy_log": proxy_log, "dns_hosts": dns_hosts, "repo": repo}
