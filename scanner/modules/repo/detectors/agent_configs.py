"""Configuration files of AI coding assistants and agents, recognised by their path.

Each rule names the catalogue service the file belongs to (``cursor``, ``github-copilot``, ``claude-code``…)
or, for a convention shared by several tools or a tool the catalogue does not list, a short name
(``agents-md``, ``mcp``, ``aider``); the finding then goes to ``unknown-ai-agent-config``. Sources: each tool's
documentation of its project files (rules, instructions, ignore files, MCP server lists).
"""

from __future__ import annotations

import re
from typing import Iterator

from scanner.modules.repo.detectors.base import HIGH, MEDIUM, Detection
from scanner.observations import AgentConfig

# File names anywhere in the tree.
FILE_NAMES: dict[str, tuple[str, str]] = {
    ".cursorrules": ("cursor", HIGH),
    ".cursorignore": ("cursor", HIGH),
    ".cursorindexingignore": ("cursor", HIGH),
    "CLAUDE.md": ("claude-code", HIGH),
    "CLAUDE.local.md": ("claude-code", HIGH),
    ".mcp.json": ("claude-code", MEDIUM),  # Claude Code's project-scoped MCP servers; other clients read it too
    "AGENTS.md": ("agents-md", MEDIUM),  # shared by Codex, Jules, Amp, Cursor and others
    "AGENT.md": ("agents-md", MEDIUM),
    ".windsurfrules": ("windsurf", HIGH),
    ".codeiumignore": ("windsurf", HIGH),
    ".aider.conf.yml": ("aider", HIGH),
    ".aider.model.settings.yml": ("aider", HIGH),
    ".aiderignore": ("aider", HIGH),
    ".clinerules": ("cline", HIGH),
    ".clineignore": ("cline", HIGH),
    ".continuerc.json": ("continue", HIGH),
    "GEMINI.md": ("gemini-code-assist", HIGH),
    ".aiexclude": ("gemini-code-assist", HIGH),
    ".aiignore": ("jetbrains-ai", HIGH),
    ".augment-guidelines": ("augment-code", HIGH),
    ".augmentignore": ("augment-code", HIGH),
    ".coderabbit.yaml": ("coderabbit", HIGH),
    ".coderabbit.yml": ("coderabbit", HIGH),
    ".roomodes": ("roo-code", HIGH),
    ".rooignore": ("roo-code", HIGH),
    ".goosehints": ("goose", HIGH),
    "mcp.json": ("mcp", MEDIUM),
    "mcp_config.json": ("mcp", MEDIUM),
    "claude_desktop_config.json": ("claude", MEDIUM),
}

# Folders whose every file belongs to one tool.
FOLDERS: dict[str, tuple[str, str]] = {
    ".cursor": ("cursor", HIGH),
    ".claude": ("claude-code", HIGH),
    ".windsurf": ("windsurf", HIGH),
    ".clinerules": ("cline", HIGH),
    ".continue": ("continue", HIGH),
    ".gemini": ("gemini-code-assist", HIGH),
    ".amazonq": ("amazon-q", HIGH),
    ".junie": ("jetbrains-ai", HIGH),
    ".augment": ("augment-code", HIGH),
    ".kiro": ("kiro", HIGH),
    ".trae": ("trae", HIGH),
    ".codex": ("openai-codex", HIGH),
    ".roo": ("roo-code", HIGH),
    ".aider.tags.cache.v4": ("aider", MEDIUM),
}

# Paths relative to a folder (matched at the end of the file's path).
PATH_SUFFIXES: tuple[tuple[str, str, str], ...] = (
    (".github/copilot-instructions.md", "github-copilot", HIGH),
    (".github/instructions/", "github-copilot", HIGH),
    (".github/prompts/", "github-copilot", HIGH),
    (".github/chatmodes/", "github-copilot", HIGH),
    (".github/workflows/copilot-setup-steps.yml", "github-copilot", HIGH),
    (".vscode/mcp.json", "github-copilot", MEDIUM),
)


# Cheap tests that rule most paths out before the rules above are tried one by one.
SUFFIX_MARKERS = re.compile("|".join(sorted({re.escape(suffix.split("/", 1)[0] + "/")
                                               for suffix, _, _ in PATH_SUFFIXES})))
DOTTED_FOLDERS = all(folder.startswith(".") for folder in FOLDERS)


def agent_config(repo: str, relative: str) -> Detection | None:
    if SUFFIX_MARKERS.search(relative):
        for suffix, tool, confidence in PATH_SUFFIXES:
            if suffix.endswith("/"):
                folder = "/" + suffix
                if ("/" + relative).rsplit("/", 1)[0].endswith(folder[:-1]):
                    return Detection(AgentConfig(tool, relative, repo), confidence)
            elif relative == suffix or relative.endswith("/" + suffix):
                return Detection(AgentConfig(tool, relative, repo), confidence)
    parts = relative.split("/")
    if len(parts) > 1 and (not DOTTED_FOLDERS or relative.startswith(".") or "/." in relative):
        for folder in parts[:-1]:
            if folder in FOLDERS:
                tool, confidence = FOLDERS[folder]
                return Detection(AgentConfig(tool, relative, repo), confidence)
    found = FILE_NAMES.get(parts[-1])
    if found is not None:
        return Detection(AgentConfig(found[0], relative, repo), found[1])
    return None


def agent_configs(repo: str, relative: str) -> Iterator[Detection]:
    found = agent_config(repo, relative)
    if found is not None:
        yield found
