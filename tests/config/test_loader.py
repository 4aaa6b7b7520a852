"""Loading shadowai.toml: values resolved and checked, every problem reported with its file and line."""

import ipaddress
import textwrap

import pytest

from scanner.config import ConfigError, load_config


def write(tmp_path, text, name="shadowai.toml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problem(tmp_path, text) -> str:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text))
    return str(caught.value)


def test_a_full_config_loads_with_paths_resolved_against_its_folder(tmp_path):
    (tmp_path / "sanctions.toml").write_text("", encoding="utf-8")
    (tmp_path / "people.csv").write_text("user,department\nann@x.com,Sales\n", encoding="utf-8")
    config = load_config(write(tmp_path, """
        sanctions = "sanctions.toml"
        departments = "people.csv"
        [sources.logs]
        paths = ["logs/*.log", "/abs/access.log"]
        parse_all = true
        [sources.repo]
        targets = ["./svc", "https://github.com/acme/bot.git"]
        [sources.aws]
        regions = ["eu-west-1"]
        cost = false
        [scopes.sales]
        description = "Sales"
        sources = ["logs"]
        networks = ["10.2.0.0/16"]
        departments = ["Sales"]
    """))
    logs = config.sources["logs"]
    assert logs.options["paths"] == [str(tmp_path / "logs/*.log"), "/abs/access.log"]
    assert config.sources["repo"].options["targets"] == [str(tmp_path / "svc"), "https://github.com/acme/bot.git"]
    assert config.sources["aws"].options == {"regions": ["eu-west-1"], "cost": False}
    scope = config.scopes["sales"]
    assert scope.networks == (ipaddress.ip_network("10.2.0.0/16"),) and scope.departments == ("Sales",)
    assert config.sources_for(scope) == [logs]
    assert config.people == {"ann@x.com": "Sales"}
    assert config.sanctions == tmp_path / "sanctions.toml" and config.drafts == tmp_path / "scope-drafts"


def test_an_unknown_key_in_a_source_names_its_line_and_the_nearest_key(tmp_path):
    message = problem(tmp_path, """
        [sources.logs]
        paths = ["a.log"]
        pathz = ["b.log"]
    """)
    assert message.endswith("shadowai.toml:4: unknown key 'sources.logs.pathz' (did you mean 'paths'?)")


def test_an_unknown_top_level_key_names_its_line(tmp_path):
    message = problem(tmp_path, """
        # comment
        signatures = []
        database = "x.db"
    """)
    assert ":4: unknown key 'database'" in message


def test_an_unknown_key_in_a_scope_names_its_line(tmp_path):
    message = problem(tmp_path, """
        [scopes.eng]
        description = "Engineering"
        networks = ["10.0.0.0/8"]
        cidrs = ["10.1.0.0/16"]
    """)
    assert ":5: unknown key 'scopes.eng.cidrs'" in message


def test_an_unknown_source_names_its_table_line(tmp_path):
    message = problem(tmp_path, """
        [sources.logs]
        paths = ["a"]

        [sources.splunk]
        url = "x"
    """)
    assert ":5: unknown source 'sources.splunk'" in message


def test_a_bad_network_names_the_line_and_the_value(tmp_path):
    message = problem(tmp_path, """
        [scopes.eng]
        networks = [
            "10.0.0.0/8",
            "10.300.0.0/16",
        ]
    """)
    assert ":3: scopes.eng.networks: '10.300.0.0/16' is not a network" in message


def test_a_value_of_the_wrong_kind_is_reported(tmp_path):
    assert ":3: sources.logs.workers: must be a whole number" in problem(tmp_path, """
        [sources.logs]
        workers = "four"
        paths = ["a"]
    """)


def test_a_source_without_its_required_option_is_reported(tmp_path):
    assert "[sources.repo] needs 'targets'" in problem(tmp_path, """
        [sources.repo]
        jobs = 2
    """)


def test_a_scope_naming_a_source_that_is_not_configured_is_reported(tmp_path):
    message = problem(tmp_path, """
        [sources.logs]
        paths = ["a"]
        [scopes.eng]
        sources = ["logs", "aws"]
    """)
    assert ":5: scopes.eng.sources: 'aws' is not a configured source" in message


def test_departments_must_exist_in_the_departments_csv(tmp_path):
    (tmp_path / "people.csv").write_text("user,department\nann,Sales\n", encoding="utf-8")
    assert "'Marketing' is not a department" in problem(tmp_path, """
        departments = "people.csv"
        [scopes.m]
        departments = ["Marketing"]
    """)


def test_a_missing_sanctions_file_is_reported(tmp_path):
    assert ":2: sanctions: no such file" in problem(tmp_path, """
        sanctions = "nowhere.toml"
    """)


def test_invalid_toml_is_reported_with_tomllib_position(tmp_path):
    message = problem(tmp_path, """
        [sources.logs
        paths = ["a"]
    """)
    assert "not valid TOML" in message and "line 2" in message


def test_a_scope_name_must_be_usable_as_a_file_name(tmp_path):
    assert "scope name '../x'" in problem(tmp_path, """
        [scopes."../x"]
        description = "x"
    """)


def test_the_whole_organisation_scope_name_is_reserved(tmp_path):
    assert "reserved for the whole organisation" in problem(tmp_path, """
        [scopes.all]
        description = "x"
    """)


def test_departments_may_come_from_a_logs_subject_map(tmp_path):
    (tmp_path / "map.csv").write_text("network,device,user,department\n10.2.0.0/16,,,Sales\n", encoding="utf-8")
    config = load_config(write(tmp_path, """
        [sources.logs]
        paths = ["a.log"]
        subjects = "map.csv"
        [scopes.sales]
        departments = ["Sales"]
    """))
    assert config.sources["logs"].options["subjects"] == tmp_path / "map.csv"
    assert "needs a departments CSV" in problem(tmp_path, """
        [scopes.sales]
        departments = ["Sales"]
    """)
