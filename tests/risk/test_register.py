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


def test_oauth_apps_show_consenting_users_admin_consent_and_their_riskiest_scopes(db, catalogue):
    def oauth(service_id, subject, scopes, location="t/oauth2PermissionGrants", **evidence):
        return seen(service_id, subject, source="entra", location=location, matched_by="oauth",
                    evidence={"scopes": scopes, **evidence})
    gpt = dict(matched_by="oauth-ai-like:name:gpt")
    add_findings(db, [
        oauth("fireflies-ai", "tenant:entra", "User.Read Calendars.Read offline_access"),
        oauth("fireflies-ai", "carol@x.com", "", location="t/appRoleAssignedTo", grant="assignment"),
        oauth("fireflies-ai", "bob@x.com", "", location="t/signIns", grant="sign-in"),
        seen("unknown-oauth-ai-app", "ann@x.com", source="entra", location="t/grants#gpt",
             evidence={"app_id": "gpt", "scopes": "Mail.Read Files.Read.All Calendars.Read"}, **gpt),
        seen("unknown-oauth-ai-app", "bob@x.com", source="entra", location="t/grants#gpt",
             evidence={"app_id": "gpt", "scopes": "Mail.Read"}, **gpt),
        seen("chatgpt", "ann", matched_by="domains:chatgpt.com"),
    ], module="entra")
    rows = rows_by_id(db, catalogue)
    fireflies = rows["AIR-fireflies-ai"]
    assert (fireflies["consenting_users"], fireflies["admin_consent"]) == (1, "yes")
    assert (fireflies["scope_risk"], fireflies["risky_scopes"]) == ("medium", "Calendars.Read, offline_access")
    assert "L6-org-wide-grant +1" in fireflies["scoring"] and "I8-scopes +1" in fireflies["scoring"]
    assert fireflies["risk_statement"].endswith(
        "\nIts OAuth app holds medium-risk scopes: Calendars.Read, offline_access.")
    unknown = [row for rid, row in rows.items() if rid.startswith("AIR-unknown-oauth-ai-app-")]
    assert len(unknown) == 2 and all(row["consenting_users"] == 2 for row in unknown)  # the app's, not the line's
    assert {row["risky_scopes"] for row in unknown} == {"Files.Read.All, Mail.Read, Calendars.Read"}
    assert all("I7-broad-scopes +2" in row["scoring"] for row in unknown)
    assert all("holds high-risk scopes: Files.Read.All, Mail.Read, Calendars.Read." in row["risk_statement"]
               for row in unknown)
    chatgpt = rows["AIR-chatgpt"]
    assert (chatgpt["consenting_users"], chatgpt["admin_consent"], chatgpt["scope_risk"]) == ("", "", "")
    assert "OAuth" not in chatgpt["risk_statement"]


def test_an_app_kept_for_its_broad_scopes_alone_says_so_in_its_statement(db, catalogue):
    add_findings(db, [seen("unknown-oauth-ai-app", "tenant:entra", source="entra", location="t/grants#hr",
                           matched_by="oauth-broad-scopes:Mail.Read",
                           evidence={"app_id": "hr", "app_name": "Contoso HR", "scopes": "User.Read Mail.Read",
                                     "reason": "broad-data-scopes", "confidence": "low"})], module="entra")
    [row] = [row for rid, row in rows_by_id(db, catalogue).items() if rid.startswith("AIR-unknown-oauth-ai-app-")]
    assert "for the broad data access it holds, not for a name that says AI (low confidence)" in row["risk_statement"]
    assert row["risk_statement"].endswith("Its OAuth app holds high-risk scopes: Mail.Read.")
    assert (row["admin_consent"], row["consenting_users"], row["scope_risk"]) == ("yes", 0, "high")


def test_the_scoring_of_an_unknown_apps_line_agrees_with_its_app_wide_grant_columns(db, catalogue):
    gpt = dict(source="entra", matched_by="oauth-ai-like:name:gpt")
    add_findings(db, [
        seen("unknown-oauth-ai-app", "ann@x.com", location="t/grants#gpt",
             evidence={"app_id": "gpt", "scopes": "Calendars.Read"}, **gpt),
        seen("unknown-oauth-ai-app", "tenant:entra", location="t/appRoleAssignments#gpt",
             evidence={"app_id": "gpt", "scopes": "Mail.Read"}, **gpt),
    ], module="entra")
    unknown = [row for rid, row in rows_by_id(db, catalogue).items() if rid.startswith("AIR-unknown-oauth-ai-app-")]
    assert len(unknown) == 2
    for row in unknown:  # ann's line too: her grant is medium, but the app holds Mail.Read and an admin granted it
        assert (row["admin_consent"], row["scope_risk"]) == ("yes", "high")
        assert "L6-org-wide-grant +1" in row["scoring"] and "I7-broad-scopes +2" in row["scoring"]
        assert "I8-scopes" not in row["scoring"]


def test_a_model_vendor_seen_only_through_a_cloud_platform_gets_the_supplier_statement_not_the_direct_use_ones(
        db, catalogue):
    platform = "arn:aws:bedrock:us-east-1:111122223333:custom-model/support-bot"
    add_findings(db, [
        seen("aws-bedrock", "aws:111122223333", source="aws", location=platform, matched_by="cloud:aws:bedrock"),
        seen("anthropic-api", "aws:111122223333", source="aws", location=platform, matched_by="models:claude-*",
             evidence={"via": "aws-bedrock", "model": "anthropic.claude-3-haiku-20240307-v1:0"}),
    ], module="aws")
    rows = rows_by_id(db, catalogue)
    vendor = rows["AIR-anthropic-api"]
    assert vendor["risk_templates"] == "model-via-platform"
    assert vendor["risk_statement"].startswith("Models of Anthropic (Anthropic API")
    assert "are deployed or invoked through aws-bedrock" in vendor["risk_statement"]
    assert "data-to-third-party" in rows["AIR-aws-bedrock"]["risk_templates"]
    # Once the vendor's API is also used directly (a key in code), the direct-use statements apply to it again.
    add_findings(db, [seen("anthropic-api", "/src/a", source="repo", location="app.py",
                           matched_by="secrets:anthropic-key")], module="repo")
    assert "data-to-third-party" in rows_by_id(db, catalogue)["AIR-anthropic-api"]["risk_templates"]


def test_a_template_folder_copied_before_a_template_existed_gets_the_builtin_wording_of_it(tmp_path, db, catalogue):
    import yaml

    add_findings(db, [seen("anthropic-api", "aws:1", source="aws", location="arn:x", matched_by="models:claude-*",
                           evidence={"via": "aws-bedrock"})], module="aws")
    mine = tmp_path / "templates"
    mine.mkdir()
    old = yaml.safe_load((builtin_reports_dir() / "risk-templates.yaml").read_text(encoding="utf-8"))
    del old["model-via-platform"]
    (mine / "risk-templates.yaml").write_text(yaml.safe_dump(old), encoding="utf-8")
    row = rows_by_id(db, catalogue, templates_dir=mine)["AIR-anthropic-api"]
    assert row["risk_templates"] == "model-via-platform" and "through aws-bedrock" in row["risk_statement"]
