"""Register rows: stable ids, the templates that apply, Annex A references, evidence references."""

import datetime as dt
import shutil

from scanner.config.sanctions import Sanction, apply_sanctions
from scanner.inventory.service_evidence import finding_id
from scanner.reports.templates import builtin_reports_dir
from scanner.risk.register import build_register
from tests.support.findings import add_findings, seen

TODAY = dt.date(2025, 12, 1)


def rows_by_id(db, catalogue, **kwargs):
    return {row["risk_id"]: row for row in build_register(db, catalogue, today=TODAY, **kwargs)}


def test_one_row_per_service_and_per_unknown_finding(db, catalogue):
    add_findings(db, [seen("chatgpt", "ann"), seen("chatgpt", "bob")])
    add_findings(db, [
        seen("openai-api", "/src/a", source="repo", location="app.py", matched_by="secrets:openai-key"),
        seen("unknown-model-file", "/src/a", source="repo", location="m1.pt", matched_by="model-file:pickle"),
        seen("unknown-model-file", "/src/a", source="repo", location="m2.pt", matched_by="model-file:pickle"),
    ], module="repo")
    rows = rows_by_id(db, catalogue)
    assert {"AIR-chatgpt", "AIR-openai-api"} <= set(rows)
    unknown = sorted(rid for rid in rows if rid.startswith("AIR-unknown-model-file-"))
    assert len(unknown) == 2
    assert unknown == sorted(rid for rid in rows_by_id(db, catalogue) if rid.startswith("AIR-unknown"))  # stable


def test_templates_annex_a_and_evidence_of_a_shadow_service_with_a_leaked_key(db, catalogue):
    run = add_findings(db, [seen("openai-api", "/src/a", source="repo", location="app.py",
                                 matched_by="secrets:openai-key")], module="repo")
    row = rows_by_id(db, catalogue)["AIR-openai-api"]
    assert row["risk_templates"] == "data-to-third-party, unsanctioned-use, residency, exposed-keys"
    assert "An API key for OpenAI API was found in code (1 finding(s))" in row["risk_statement"]
    assert "Revoke and rotate the key" in row["suggested_treatment"]
    assert row["annex_a"].split(", ")[:3] == ["A.2.2", "A.3.2", "A.4.2"]
    assert "A.10.3" in row["annex_a"] and "A.6.2.5" in row["annex_a"]
    assert row["evidence_findings"] == finding_id("openai-api", "repo", "/src/a", "app.py")
    assert row["evidence_runs"] == str(run)
    assert (row["status"], row["owner"], row["treatment"]) == ("new", "", "")


def test_a_sanctioned_service_takes_its_owner_and_drops_the_unsanctioned_template(db, catalogue):
    add_findings(db, [seen("chatgpt", "ann")])
    apply_sanctions(db, [Sanction("chatgpt", "sanctioned", "it@example.com")])
    row = rows_by_id(db, catalogue)["AIR-chatgpt"]
    assert row["owner"] == "it@example.com" and "unsanctioned-use" not in row["risk_templates"]
    assert "training-on-inputs" in row["risk_templates"]  # ChatGPT: depends-on-plan


def test_model_files_get_their_own_template(db, catalogue):
    add_findings(db, [seen("unknown-model-file", "/src/a", source="repo", location="m.pt")], module="repo")
    [row] = build_register(db, catalogue, today=TODAY)
    assert row["risk_templates"] == "untrusted-model-files" and "m.pt" in row["risk_statement"]
    assert "I6-model-file +2" in row["scoring"]


def test_a_users_template_folder_changes_the_wording(tmp_path, db, catalogue):
    add_findings(db, [seen("chatgpt", "ann")])
    mine = tmp_path / "templates"
    mine.mkdir()
    text = (builtin_reports_dir() / "risk-templates.yaml").read_text(encoding="utf-8")
    (mine / "risk-templates.yaml").write_text(text.replace("People send organisation data", "Staff paste data"),
                                              encoding="utf-8")
    row = rows_by_id(db, catalogue, templates_dir=mine)["AIR-chatgpt"]
    assert row["risk_statement"].startswith("Staff paste data (prompts, files, code) to ChatGPT")
    shutil.rmtree(mine)
