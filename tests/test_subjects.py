"""Subject maps: client IPs become devices, people and departments; the most specific network wins."""

import sqlite3

import pytest

from scanner.subjects import SubjectMap, SubjectMapError
from tests.cli.runner import shadowai
from tests.squid_lines import squid, write_log

MAP = """network,device,user,department
10.20.0.0/16,,,Engineering
10.20.1.0/24,,,Finance
10.20.1.11,LT-0042,alice@example.com,Finance
2001:db8::/32,,,Lab
not-an-ip,x,y,z
"""


def test_longest_prefix_wins_and_bad_rows_are_reported(tmp_path):
    path = tmp_path / "subjects.csv"
    path.write_text(MAP)
    subjects, problems = SubjectMap.load(path)
    assert subjects.lookup("10.20.1.11").user == "alice@example.com"
    assert subjects.lookup("10.20.1.12").department == "Finance"
    assert subjects.lookup("10.20.9.9").department == "Engineering"
    assert subjects.lookup("2001:db8::5").department == "Lab"
    assert subjects.lookup("192.0.2.1") is None
    assert problems == [f"{path}:6: 'not-an-ip' is not an IP address or CIDR network"]


def test_a_map_without_a_network_column_is_refused(tmp_path):
    path = tmp_path / "subjects.csv"
    path.write_text("ip,user\n10.0.0.1,bob\n")
    with pytest.raises(SubjectMapError, match="'network' column"):
        SubjectMap.load(path)


def test_scan_logs_names_people_and_departments_from_the_map(tmp_path):
    subjects = tmp_path / "subjects.csv"
    subjects.write_text(MAP)
    log = tmp_path / "access.log"
    write_log(log, [squid(1764460800, "claude.ai", client="10.20.1.11"),
                    squid(1764460801, "claude.ai", client="10.20.7.7"),
                    squid(1764460802, "claude.ai", client="10.20.1.11", user="alice.local")])
    db = tmp_path / "inv.db"
    result = shadowai("scan", "logs", log, "--subjects", subjects, "--db", db)
    assert result.exit_code == 1  # the bad map row is reported and makes the run partial
    assert f"{subjects}:6: 'not-an-ip' is not an IP address" in result.stderr
    rows = sqlite3.connect(db).execute("select subject, json_extract(evidence, '$.department') from findings "
                                       "order by subject").fetchall()
    assert rows == [("10.20.7.7", "Engineering"), ("alice.local", "Finance"), ("alice@example.com", "Finance")]
