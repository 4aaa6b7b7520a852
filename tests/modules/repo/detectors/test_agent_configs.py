"""AI coding-assistant and agent configuration files, attributed to their catalogue service or to
unknown-ai-agent-config."""

import pytest


@pytest.mark.parametrize("path, service", [
    (".cursorrules", "cursor"),
    (".cursor/rules/style.mdc", "cursor"),
    ("packages/web/.cursorrules", "cursor"),
    (".github/copilot-instructions.md", "github-copilot"),
    (".github/instructions/python.instructions.md", "github-copilot"),
    ("CLAUDE.md", "claude-code"),
    (".claude/settings.json", "claude-code"),
    (".mcp.json", "claude-code"),
    (".windsurfrules", "windsurf"),
    (".windsurf/rules/x.md", "windsurf"),
    ("GEMINI.md", "gemini-code-assist"),
    (".clinerules", "cline"),
    (".continue/config.yaml", "continue"),
    (".amazonq/rules/a.md", "amazon-q"),
    ("AGENTS.md", "unknown-ai-agent-config"),  # a convention shared by many agents
])
def test_agent_config_files(detect, path, service):
    assert (service, None) in detect(path, "")


@pytest.mark.parametrize("path", ["docs/cursor.md", "claude.txt", ".github/workflows/ci.yml", "src/agents.py"])
def test_ordinary_files_are_not_agent_configs(detect, path):
    assert detect(path, "") == []


def test_an_agent_config_not_in_the_catalogue_names_its_tool(detect):
    [finding] = detect("AGENTS.md", "", evidence=True)
    assert (finding.service_id, finding.evidence["tool"], finding.matched_by) == \
        ("unknown-ai-agent-config", "agents-md", "agent-config:agents-md")


def test_a_tool_is_attributed_to_its_service_once_the_catalogue_lists_it(catalogue, detect):
    expected = "aider" if catalogue.service("aider") else "unknown-ai-agent-config"
    assert detect(".aider.conf.yml", "") == [(expected, None)]
