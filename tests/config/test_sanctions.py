"""The sanctions file (TOML or CSV) becomes the inventory's sanctions table."""

import textwrap

import pytest

from scanner.config import ConfigError
from scanner.config.sanctions import Sanction, apply_sanctions, load_sanctions
from scanner.inventory.views import service_rows
from tests.support.findings import add_findings, seen

POLICY = """\
[services.chatgpt]
status = "sanctioned"
owner = "it@example.com"
approved_use = "Enterprise workspace only"
review_date = 2026-06-30

[categories.ai-companion]
status = "blocked"
"""


def write(tmp_path, text, name="sanctions.toml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_a_toml_policy_lists_services_and_categories(tmp_path, catalogue):
    assert load_sanctions(write(tmp_path, POLICY), catalogue) == [
        Sanction("chatgpt", "sanctioned", "it@example.com", "Enterprise workspace only", "2026-06-30"),
        Sanction("category:ai-companion", "blocked"),
    ]


def test_a_csv_policy_reads_the_same(tmp_path, catalogue):
    path = write(tmp_path, "target,status,owner,approved_use,review_date\n"
                           "chatgpt,sanctioned,it@example.com,Enterprise workspace only,2026-06-30\n"
                           "category:ai-companion,blocked,,,\n", name="sanctions.csv")
    assert load_sanctions(path, catalogue) == load_sanctions(write(tmp_path, POLICY), catalogue)


@pytest.mark.parametrize("text, expected", [
    ('[services.chatgtp]\nstatus = "sanctioned"\n', "sanctions.toml:1: unknown service id 'chatgtp'"),
    ('[services.chatgpt]\nowner = "x"\nstatus = "approved"\n', "sanctions.toml:3: services.chatgpt: status 'approved'"),
    ('[services.chatgpt]\nstatus = "sanctioned"\nexpires = 2026-01-01\n',
     "sanctions.toml:3: unknown key 'services.chatgpt.expires'"),
    ('[categories.robots]\nstatus = "blocked"\n', "sanctions.toml:1: unknown category 'robots'"),
    ('[services.chatgpt]\nstatus = "sanctioned"\nreview_date = "soon"\n', "must be a date"),
])
def test_mistakes_in_the_policy_name_their_line(tmp_path, catalogue, text, expected):
    with pytest.raises(ConfigError) as caught:
        load_sanctions(write(tmp_path, text), catalogue)
    assert expected in str(caught.value)


def test_a_bad_csv_row_names_its_line(tmp_path, catalogue):
    path = write(tmp_path, "target,status\nchatgpt,sanctioned\nclaude,maybe\n", name="sanctions.csv")
    with pytest.raises(ConfigError, match=r"sanctions.csv:3: claude: status 'maybe'"):
        load_sanctions(path, catalogue)


def test_loading_replaces_the_table_and_drives_the_inventory_view(tmp_path, db, catalogue):
    add_findings(db, [seen("chatgpt", "ann"), seen("kindroid", "bob"), seen("claude", "cy")])
    db["sanctions"].insert({"target": "claude", "status": "sanctioned"})  # an older decision, not in the file
    apply_sanctions(db, load_sanctions(write(tmp_path, POLICY), catalogue))
    status = {row["service_id"]: row["sanction"] for row in service_rows(db, catalogue)}
    assert status == {"chatgpt": "sanctioned", "kindroid": "blocked", "claude": "unsanctioned"}


def test_an_unchanged_decision_keeps_its_updated_at(tmp_path, db, catalogue):
    policy = load_sanctions(write(tmp_path, POLICY), catalogue)
    apply_sanctions(db, policy)
    db.execute("update sanctions set updated_at = '2020-01-01T00:00:00Z'")
    changed = [policy[0], Sanction("category:ai-companion", "tolerated")]
    apply_sanctions(db, changed)
    stamps = {row["target"]: row["updated_at"] for row in db.query("select * from sanctions")}
    assert stamps["chatgpt"] == "2020-01-01T00:00:00Z"
    assert stamps["category:ai-companion"] != "2020-01-01T00:00:00Z"
