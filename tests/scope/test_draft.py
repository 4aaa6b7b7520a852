"""The scope draft: services inside the scope, activity outside it, gaps, and the workshop's questions."""

import datetime as dt
import ipaddress

from scanner.config.model import Config, Scope, SourceConfig
from scanner.config.sanctions import Sanction, apply_sanctions
from scanner.inventory.runs import finish_run, start_run
from scanner.scope.draft import build_draft
from scanner.scope.draft_files import csv_text, draft_texts
from tests.support.findings import add_findings, seen

LOG = "/var/log/squid/access.log"
SCOPE = Scope("eng", "Engineering", networks=(ipaddress.ip_network("10.1.0.0/16"),))
CONFIG = Config(path=None, sources={"logs": SourceConfig("logs", {"paths": [LOG + "*"]}),
                                    "repo": SourceConfig("repo", {"targets": ["/src/svc"]})},
                scopes={"eng": SCOPE})
TODAY = dt.date(2025, 12, 1)


def inventory(db, catalogue):
    logs_run = add_findings(db, [
        seen("chatgpt", "10.1.0.5"), seen("chatgpt", "10.1.0.6", hits=3),
        seen("kindroid", "10.1.0.7"),  # blocked category, used anyway
        seen("claude", "10.1.0.8"),  # sanctioned without an owner
        seen("perplexity", "10.9.0.1"),  # outside the scope's network
        seen("mistral-le-chat", "10.1.0.9", location="/home/me/adhoc.log"),  # a log the config does not name
    ])
    repo_run = add_findings(db, [
        seen("unknown-model-file", "/src/svc", source="repo", location="models/net.pt", matched_by="model-file:pickle"),
        seen("openai-api", "/src/svc", source="repo", location="app.py", matched_by="secrets:openai-key"),
    ], module="repo", gaps=[("/src/svc/big.bin", "file larger than --max-file-size")])
    apply_sanctions(db, [Sanction("category:ai-companion", "blocked", "ciso@example.com"),
                         Sanction("claude", "sanctioned", review_date="2025-06-30")])
    run = start_run(db, "discover", catalogue_version=catalogue.version, scope="eng")
    run.add_input(source="logs", runs=[logs_run])
    run.add_input(source="repo", runs=[repo_run])
    run.gap("sources.aws", "module not installed: there is no 'shadowai scan aws' command")
    finish_run(run)
    return build_draft(db, catalogue, CONFIG, SCOPE, today=TODAY)


def test_services_inside_and_outside_the_boundaries(db, catalogue):
    draft = inventory(db, catalogue)
    inside = {line.service_id: line for line in draft.services}
    assert set(inside) == {"chatgpt", "kindroid", "claude", "unknown-model-file", "openai-api"}
    assert inside["chatgpt"].subjects["devices"] == ["10.1.0.5", "10.1.0.6"] and inside["chatgpt"].hits == 4
    assert inside["kindroid"].status == "blocked" and inside["kindroid"].owner == "ciso@example.com"
    assert inside["chatgpt"].risk["trains_on_customer_data"] == "depends-on-plan"
    assert [line.service_id for line in draft.outside] == ["perplexity"]
    assert "mistral-le-chat" not in inside  # from a log outside the scope's sources


def test_headline_figures(db, catalogue):
    h = inventory(db, catalogue).headline
    assert (h["services"], h["shadow"], h["sanctioned"], h["blocked_in_use"], h["unknown_findings"]) == (4, 2, 1, 1, 1)
    assert (h["devices"], h["repos"], h["coverage_gaps"], h["outside_services"], h["sources_run"]) == (4, 1, 2, 1, 2)


def test_the_workshop_questions_cover_every_open_decision(db, catalogue):
    questions = inventory(db, catalogue).questions
    topics = [q.topic for q in questions]
    texts = " ".join(q.text for q in questions)
    assert topics.count("owner") == 3  # ChatGPT and OpenAI API undecided; Claude sanctioned without an owner
    assert "Kindroid is blocked but was used" in texts
    assert "unknown-model-file found at models/net.pt" in texts
    assert "due for review on 2025-06-30" in texts
    assert "'shadowai scan aws'" in texts and "big.bin" in texts
    assert "outside the scope's boundaries" in texts


def test_markdown_and_csv_escape_what_came_from_logs(db, catalogue):
    add_findings(db, [seen("chatgpt", "|=evil]<b>*", evidence={"client": "10.1.0.5"})])
    draft = build_draft(db, catalogue, CONFIG, SCOPE, today=TODAY)
    texts = draft_texts(draft)
    assert "\\|=evil\\]\\<b\\>\\*" in texts["md"]
    assert "&lt;b&gt;" in texts["html"] and "<b>*" not in texts["html"]
    assert ",'|=evil]<b>*" not in csv_text(draft)  # starts with '|', not a formula trigger: left as text
    add_findings(db, [seen("claude", "=cmd()", evidence={"client": "10.1.0.5"})])
    assert "'=cmd()" in csv_text(build_draft(db, catalogue, CONFIG, SCOPE, today=TODAY))
