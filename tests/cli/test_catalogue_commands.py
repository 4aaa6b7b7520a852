"""`shadowai catalogue match|list|stats|validate|show` as a user runs them."""

import json

from tests.cli.runner import shadowai


def test_match_prints_one_tab_separated_line_per_host():
    result = shadowai("catalogue", "match", "api.openai.com", "example.org", "GEMINI.google.com.")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "api.openai.com\topenai-api\tOpenAI API\tOpenAI"
    assert lines[1] == "example.org\t-"
    assert lines[2].split("\t")[:2] == ["GEMINI.google.com.", "gemini"]


def test_match_reads_hosts_from_stdin_and_prints_json_lines():
    result = shadowai("catalogue", "match", "-", "--json", input="# comment\nclaude.ai\nnotopenai.com\n")
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["host"] for r in records] == ["claude.ai", "notopenai.com"]
    assert records[0]["service_id"] == "claude" and records[0]["vendor"] == "Anthropic"
    assert records[1]["service_id"] is None


def test_match_uses_the_path_of_a_url():
    result = shadowai("catalogue", "match", "https://huggingface.co/chat/conversation/1", "huggingface.co")
    services = [line.split("\t")[1] for line in result.stdout.splitlines()]
    assert services[0] != services[1]


def test_list_formats_agree_and_csv_has_a_header(tmp_path):
    as_json = json.loads(shadowai("catalogue", "list", "--format", "json").stdout)
    as_csv = shadowai("catalogue", "list", "--format", "csv").stdout.splitlines()
    assert as_csv[0] == "id,name,vendor,category,detection,website"
    assert len(as_csv) - 1 == len(as_json) >= 150


def test_stats_counts_services_and_categories():
    stats = json.loads(shadowai("catalogue", "stats", "--format", "json").stdout)
    assert stats["services"] >= 150 and stats["categories"] >= 12
    assert stats["version"].startswith("sha256:")


def test_show_prints_the_signature_and_rejects_unknown_ids():
    assert "id: chatgpt" in shadowai("catalogue", "show", "chatgpt").stdout
    missing = shadowai("catalogue", "show", "no-such-service")
    assert missing.exit_code == 1 and "no service 'no-such-service'" in missing.output


def test_validate_exits_1_and_prints_file_field_problem(tmp_path):
    folder = tmp_path / "services" / "openai"
    folder.mkdir(parents=True)
    (folder / "broken.yaml").write_text("id: broken\nname: Broken\nvendor: openai\ncategory: nope\n")
    result = shadowai("catalogue", "validate", tmp_path)
    assert result.exit_code == 1
    assert f"{folder / 'broken.yaml'}: -: 'description' is a required property" in result.output


def test_validate_passes_on_the_builtin_catalogue():
    result = shadowai("catalogue", "validate")
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("ok: ")
