"""Risk tiers of OAuth scopes on the four SaaS platforms, as every grant's evidence records them."""

import pytest

from scanner.oauth.scopes import risky, scope_details, scope_tier

GOOGLE = "https://www.googleapis.com/auth/"


@pytest.mark.parametrize("scope, tier", [
    ("Mail.Read", "high"), ("mail.readwrite", "high"), ("Mail.Send", "high"), ("Files.Read.All", "high"),
    ("Sites.Read.All", "high"), ("Chat.Read", "high"), ("OnlineMeetingTranscript.Read.All", "high"),
    ("EWS.AccessAsUser.All", "high"), ("full_access_as_app", "high"), ("Directory.ReadWrite.All", "high"),
    ("https://graph.microsoft.com/Mail.Read", "high"),
    ("Calendars.Read", "medium"), ("Contacts.Read", "medium"), ("offline_access", "medium"),
    ("User.Read.All", "medium"), ("Mail.ReadBasic", "medium"),
    ("User.Read", "low"), ("openid", "low"), ("profile", "low"), ("email", "low"), ("Mailbox", "low"),
    ("Files", "low"),
])
def test_microsoft_graph_permissions(scope, tier):
    assert scope_tier("entra", scope) == tier


@pytest.mark.parametrize("scope, tier", [
    ("https://mail.google.com/", "high"), (GOOGLE + "gmail.readonly", "high"), (GOOGLE + "gmail.modify", "high"),
    (GOOGLE + "drive", "high"), (GOOGLE + "drive.readonly", "high"), (GOOGLE + "documents", "high"),
    (GOOGLE + "spreadsheets.readonly", "high"), (GOOGLE + "admin.directory.user", "high"),
    (GOOGLE + "cloud-platform", "high"), ("https://www.google.com/accounts/OAuthLogin", "high"),
    (GOOGLE + "calendar", "medium"), (GOOGLE + "calendar.events.readonly", "medium"),
    (GOOGLE + "contacts.readonly", "medium"), (GOOGLE + "admin.directory.user.readonly", "medium"),
    (GOOGLE + "drive.metadata.readonly", "medium"), (GOOGLE + "gmail.send", "medium"),
    (GOOGLE + "drive.file", "low"), (GOOGLE + "drive.appdata", "low"), ("openid", "low"), ("email", "low"),
    (GOOGLE + "userinfo.profile", "low"), (GOOGLE + "gmail.labels", "low"),
])
def test_google_scopes(scope, tier):
    assert scope_tier("google", scope) == tier


@pytest.mark.parametrize("scope, tier", [
    ("channels:history", "high"), ("groups:history", "high"), ("im:history", "high"), ("mpim:history", "high"),
    ("files:read", "high"), ("search:read", "high"), ("search:read.im", "high"), ("admin", "high"),
    ("admin.conversations:read", "high"), ("client", "high"),
    ("users:read", "medium"), ("users:read.email", "medium"), ("channels:read", "medium"),
    ("chat:write:user", "medium"),
    ("chat:write", "low"), ("commands", "low"), ("incoming-webhook", "low"), ("identity.basic", "low"),
])
def test_slack_scopes(scope, tier):
    assert scope_tier("slack", scope) == tier


@pytest.mark.parametrize("scope, tier", [
    ("contents:read", "high"), ("contents:write", "high"), ("administration:write", "high"),
    ("organization_administration:write", "high"), ("members:write", "high"), ("workflows:write", "high"),
    ("repo", "high"), ("admin:org", "high"), ("delete_repo", "high"),
    ("pull_requests:write", "medium"), ("issues:read", "medium"), ("members:read", "medium"),
    ("administration:read", "medium"), ("read:org", "medium"), ("gist", "medium"),
    ("metadata:read", "low"), ("checks:write", "low"), ("statuses:write", "low"), ("read:user", "low"),
    ("user:email", "low"),
    # classic scopes: repo:status and repo:invite reach commit statuses and invitations, not the code
    ("repo:status", "low"), ("repo:invite", "low"), ("repo_deployment", "low"), ("public_repo", "medium"),
    ("security_events", "medium"),
])
def test_github_permissions_by_level(scope, tier):
    assert scope_tier("github", scope) == tier


def test_risky_lists_high_before_medium_and_gives_the_top_tier():
    assert risky("entra", ("User.Read", "offline_access", "Mail.Read", "Calendars.Read")) == (
        ("Mail.Read", "Calendars.Read", "offline_access"), "high")
    assert risky("entra", ("openid", "User.Read")) == ((), "low")


def test_every_platform_records_the_same_two_evidence_fields():
    assert scope_details("slack", ("chat:write", "users:read", "channels:history")) == {
        "risky_scopes": "channels:history users:read", "scope_risk": "high"}
    assert scope_details("github", ("metadata:read",)) == {"risky_scopes": None, "scope_risk": None}
    assert scope_details("no-such-platform", ("Mail.Read",)) == {"risky_scopes": None, "scope_risk": None}
