"""Option checks the `scan <source>` commands share: tokens read from the environment (scanner/cli/api_tokens.py),
values that must match a pattern and the --subjects map (scanner/cli/options.py)."""

import click
import pytest

from scanner.cli.api_tokens import token_client
from scanner.cli.options import matching, subjects_from
from scanner.clients.github import GitHubClient
from tests.cli.runner import shadowai

TOKEN = "ghp_TESTTOKENsharedOptions0123456789abcdef"


def test_the_token_is_read_from_its_variable_without_surrounding_blanks(monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", f"  {TOKEN}\n")
    client = token_client(GitHubClient, "GITHUB_TOKEN", "set GITHUB_TOKEN", "https://ghe.example/api/v3")
    assert client.http.session.headers["Authorization"] == f"Bearer {TOKEN}"
    assert client.api_url == "https://ghe.example/api/v3"


@pytest.mark.parametrize("value", [None, "", "   "])
def test_an_unset_or_blank_token_is_the_usage_error_given(monkeypatch, value):
    if value is None:
        monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    else:
        monkeypatch.setenv("GITHUB_TOKEN", value)
    with pytest.raises(click.UsageError, match="^set GITHUB_TOKEN to a token$"):
        token_client(GitHubClient, "GITHUB_TOKEN", "set GITHUB_TOKEN to a token", "https://api.github.com")


@pytest.mark.parametrize("source, variable, options", [
    ("github", "GITHUB_TOKEN", ["--org", "acme"]),
    ("slack", "SLACK_TOKEN", []),
    ("repo", "GITHUB_TOKEN", ["--github-org", "acme"]),
])
def test_an_api_url_the_client_refuses_is_an_error_naming_the_option_and_never_the_token(
        tmp_path, monkeypatch, source, variable, options):
    monkeypatch.setenv(variable, TOKEN)
    result = shadowai("scan", source, *options, "--api-url", "http://plain.example/api", "--db", tmp_path / "i.db")
    assert result.exit_code == 2
    assert "--api-url" in result.stderr and "must be https://" in result.stderr
    assert TOKEN not in result.output + result.stderr
    assert not (tmp_path / "i.db").exists()


@pytest.mark.parametrize("source, option, value, message", [
    ("github", "--org", "-acme", "'-acme' is not a GitHub organisation name"),
    ("slack", "--team", "acme", "'acme' is not a Slack workspace id (T…)"),
])
def test_a_value_that_is_not_of_its_pattern_is_refused_before_any_call(tmp_path, monkeypatch, source, option,
                                                                      value, message):
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    monkeypatch.setenv("SLACK_TOKEN", TOKEN)
    result = shadowai("scan", source, option, value, "--db", tmp_path / "i.db")
    assert result.exit_code == 2 and message in result.stderr


def test_matching_wants_the_whole_value_to_match_and_returns_the_values_unchanged():
    check = matching(r"T[A-Z0-9]{2,}", "a Slack workspace id")
    assert check(None, None, ("T0123", "TABC")) == ("T0123", "TABC")
    with pytest.raises(click.BadParameter, match="'T0123x' is not a Slack workspace id"):
        check(None, None, ("T0123x",))


def test_without_subjects_there_is_no_map_and_no_problem():
    assert subjects_from(None) == (None, [])


@pytest.mark.parametrize("source", ["logs", "pcap"])
def test_a_subject_map_without_a_network_column_is_a_usage_error_naming_the_option(tmp_path, source):
    subjects = tmp_path / "subjects.csv"
    subjects.write_text("address,user\n10.0.0.1,alice\n")
    target = tmp_path / "input"
    target.write_text("")
    result = shadowai("scan", source, target, "--subjects", subjects, "--db", tmp_path / "i.db")
    assert result.exit_code == 2
    assert "--subjects" in result.stderr and f"{subjects}:1: the header must have a 'network' column" in result.stderr
