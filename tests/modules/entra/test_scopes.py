"""Risk tiers of Microsoft Graph permissions, as recorded in a grant's evidence."""

import pytest

from scanner.modules.entra.scopes import risky, scope_tier


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
def test_scope_tier(scope, tier):
    assert scope_tier(scope) == tier


def test_risky_lists_high_before_medium_and_gives_the_top_tier():
    assert risky(("User.Read", "offline_access", "Mail.Read", "Calendars.Read")) == (
        ("Mail.Read", "Calendars.Read", "offline_access"), "high")
    assert risky(("openid", "User.Read")) == ((), "low")
