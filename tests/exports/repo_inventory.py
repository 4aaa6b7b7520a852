"""An inventory with the findings of a real repository scan (every kind of evidence the exports map) and a
log finding (which code-oriented exports leave out)."""

from __future__ import annotations

import json

from tests.cli.runner import shadowai
from tests.modules.repo.git_repos import openai_key, write_tree

KEY = openai_key(31)
OID = "b" * 64
FILES = {
    "requirements.txt": "openai==1.51.0\nanthropic>=0.36\n",
    "web/package.json": json.dumps({"dependencies": {"@anthropic-ai/sdk": "0.27.3", "openai": "^4.0.0"}}),
    "go.mod": "module example.com/x\n\ngo 1.22\n\nrequire github.com/sashabaranov/go-openai v1.32.0\n",
    "app/main.py": 'import openai\nURL = "https://api.mistral.ai/v1/chat/completions"\n',
    "config/keys.txt": f"staging\n\nkey: {KEY}\n",
    "models/tiny.gguf": b"GGUF\x03\x00\x00\x00" + bytes(256),
    "models/big.safetensors": f"version https://git-lfs.github.com/spec/v1\noid sha256:{OID}\nsize 4368709120\n",
    "Dockerfile": "FROM ollama/ollama:0.3.12\n",
    "infra/main.tf": 'resource "aws_bedrock_guardrail" "g" {}\n',
    "docs/my notes.md": "Uses OpenAI.\n",
    ".cursorrules": "Prefer small functions.\n",
}


def repo_inventory(tmp_path, db_path) -> str:
    root = write_tree(tmp_path / "svc", FILES)
    assert shadowai("scan", "repo", root, "--db", db_path, "-q").exit_code == 0
    log = tmp_path / "hosts.txt"
    log.write_text("chatgpt.com\n")
    assert shadowai("scan", "logs", log, "--format", "host-list", "--db", db_path, "-q").exit_code in (0, 1)
    return str(root)
