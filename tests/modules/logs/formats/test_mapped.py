"""Formats of one's own: CSV and JSON lines described by [log_formats.NAME] in the config file."""

import sqlite3

import pytest

from scanner.modules.logs.formats.base import BadRecord
from scanner.modules.logs.formats.mapped import build_format, check_mapping
from tests.cli.runner import shadowai

CSV_SPEC = {"type": "csv", "url": "request_url", "timestamp": "when", "timestamp_format": "%d/%m/%Y %H:%M:%S",
            "timezone": "+02:00", "user": "login", "client": "src", "delimiter": ";"}


def test_csv_mapping_reads_url_user_client_and_local_time():
    fmt = build_format("proxy-export", CSV_SPEC)
    head = ["when;src;login;request_url;bytes", "30/11/2025 10:00:00;10.0.0.7;ann;https://claude.ai/chat?x=1;100"]
    assert fmt.sniff(head)
    parser = fmt()
    parser.prime(head)
    assert parser.parse(head[0]) is None
    assert parser.parse(head[1]) == {"host": "claude.ai", "path": "/chat?x=1", "timestamp": "2025-11-30T08:00:00Z",
                                     "user": "ann", "client": "10.0.0.7"}
    with pytest.raises(BadRecord, match="is not '%d/%m/%Y %H:%M:%S'"):
        parser.parse("yesterday;10.0.0.7;ann;https://claude.ai/;1")


def test_jsonl_mapping_reads_dotted_fields_and_epoch_ms():
    fmt = build_format("gateway", {"type": "jsonl", "host": "destination.domain", "timestamp": "ts",
                                   "timestamp_format": "epoch_ms", "client": "source.ip"})
    line = '{"ts": 1764496800000, "destination": {"domain": "API.OpenAI.com"}, "source": {"ip": "10.1.1.1"}}'
    assert fmt.sniff([line])
    assert fmt().parse(line) == {"host": "api.openai.com", "timestamp": "2025-11-30T10:00:00Z", "client": "10.1.1.1"}
    assert not fmt.sniff(['{"other": 1}'])


@pytest.mark.parametrize("spec, problem", [
    ({"type": "xml", "host": "h"}, "type must be"),
    ({"type": "csv"}, "needs 'host' or 'url'"),
    ({"type": "csv", "host": "h", "colour": "x"}, "unknown key 'colour'"),
    ({"type": "csv", "host": "h", "timezone": "CET"}, "timezone must be an offset"),
])
def test_bad_mappings_are_refused(spec, problem):
    assert any(problem in message for _, message in check_mapping("mine", spec))


def test_scan_logs_detects_a_mapped_format_from_the_config(tmp_path):
    config = tmp_path / "shadowai.toml"
    config.write_text('[log_formats.proxy-export]\ntype = "csv"\nurl = "request_url"\ntimestamp = "when"\n'
                      'timestamp_format = "%d/%m/%Y %H:%M:%S"\nuser = "login"\nclient = "src"\ndelimiter = ";"\n')
    log = tmp_path / "export.csv"
    log.write_text("when;src;login;request_url\n30/11/2025 10:00:00;10.0.0.7;ann;https://claude.ai/x\n"
                   "30/11/2025 10:00:05;10.0.0.8;bob;https://www.example.org/\n")
    db = tmp_path / "inv.db"
    result = shadowai("scan", "logs", log, "--config", config, "--db", db)
    assert result.exit_code == 0, result.output
    rows = sqlite3.connect(db).execute("select service_id, subject, first_seen from findings").fetchall()
    assert rows == [("claude", "ann", "2025-11-30T10:00:00Z")]
    listed = shadowai("scan", "logs", "--config", config, "--list-formats").stdout
    assert listed.splitlines()[0].startswith("proxy-export")


def test_a_bad_mapping_in_the_config_names_its_line(tmp_path):
    config = tmp_path / "shadowai.toml"
    config.write_text('[log_formats.mine]\ntype = "csv"\nhost = "h"\ncolour = "blue"\n')
    result = shadowai("scan", "logs", tmp_path, "--config", config)
    assert result.exit_code == 2
    assert f"{config}:4:" in result.output and "unknown key 'colour'" in result.output
