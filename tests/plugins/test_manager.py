"""Plugins: built-in modules are plugins; third-party ones load from the `shadowai` entry-point group."""

import json
import sys
import textwrap

import pytest

from scanner.modules.logs.command import log_formats
from scanner.plugins import manager
from tests.cli.runner import shadowai


@pytest.fixture
def fresh_manager():
    manager.plugin_manager.cache_clear()
    yield
    manager.plugin_manager.cache_clear()


def test_builtin_modules_are_listed_as_plugins():
    rows = json.loads(shadowai("plugins", "--format", "json").stdout)
    logs = next(r for r in rows if r["name"] == "scanner.modules.logs.plugin")
    assert logs["builtin"] is True
    assert "register_log_formats" in logs["hooks"] and "register_lazy_scan_commands" in logs["hooks"]


def test_a_third_party_plugin_from_the_entry_point_group_adds_a_log_format(tmp_path, monkeypatch, fresh_manager):
    package = tmp_path / "shadowai_tsv_hosts.py"
    package.write_text(textwrap.dedent('''
        from scanner.modules.logs.formats.base import LogFormat
        from scanner.plugins.hookspecs import hookimpl

        class TabbedHosts(LogFormat):
            name = "tabbed-hosts"
            description = "time<TAB>host, a test format"
            kind = "dns"

            @classmethod
            def sniff(cls, lines):
                return all(line.count("\\t") == 1 for line in lines)

            def parse(self, line):
                return {"host": line.split("\\t")[1]}

        @hookimpl
        def register_log_formats():
            return [TabbedHosts]
    '''))
    dist = tmp_path / "shadowai_tsv_hosts-1.2.3.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: shadowai-tsv-hosts\nVersion: 1.2.3\n")
    (dist / "entry_points.txt").write_text("[shadowai]\ntsv_hosts = shadowai_tsv_hosts\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "shadowai_tsv_hosts", raising=False)

    assert "tabbed-hosts" in [f.name for f in log_formats()]
    rows = json.loads(shadowai("plugins", "--format", "json").stdout)
    third = next(r for r in rows if r["name"] == "tsv_hosts")
    assert (third["builtin"], third["version"]) == (False, "1.2.3")

    log = tmp_path / "hosts.tsv"
    log.write_text("1\tclaude.ai\n2\texample.org\n")
    result = shadowai("scan", "logs", log, "--db", tmp_path / "inv.db", "-q")
    assert result.exit_code == 0, result.output
    import sqlite3
    rows = sqlite3.connect(tmp_path / "inv.db").execute("select service_id from findings").fetchall()
    assert rows == [("claude",)]


def test_a_plugin_that_fails_to_load_is_reported_and_the_rest_still_works(tmp_path, monkeypatch, fresh_manager):
    (tmp_path / "shadowai_broken.py").write_text("import a_module_that_does_not_exist\n")
    dist = tmp_path / "shadowai_broken-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: shadowai-broken\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text("[shadowai]\nbroken = shadowai_broken\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    rows = json.loads(shadowai("plugins", "--format", "json").stdout)
    broken = next(r for r in rows if r["name"] == "broken")
    assert "ModuleNotFoundError" in broken["problem"]
    assert "squid-native" in [f.name for f in log_formats()]


def test_a_plugin_returning_anything_but_lazy_commands_is_reported_and_the_others_still_register(fresh_manager):
    from scanner.plugins.hookspecs import hookimpl

    class ReturnsTuples:
        @hookimpl
        def register_lazy_scan_commands(self):
            return [("mine", "shadowai_mine.command:mine_command", "A tuple, not a LazyCommand.")]

    manager.plugin_manager().register(ReturnsTuples(), name="tuples")
    names = [entry.name for _, entry in manager.lazy_scan_commands()]
    assert "mine" not in names and names.count("repo") == 1
    assert manager.plugin_failures["tuples"] == ("register_lazy_scan_commands returned a tuple, not a list of "
                                                 "LazyCommand")
