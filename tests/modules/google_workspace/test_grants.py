"""Reports API activities and Directory tokens into OAuthGrant observations."""

import pytest

from scanner.modules.google_workspace.grants import grants_from_activity, grants_from_token


def test_an_authorize_activity_becomes_one_grant_per_authorize_event_with_all_its_scopes():
    activity = {"id": {"time": "2025-06-01T10:00:00.000Z"}, "actor": {"email": "ann@example.com"}, "events": [
        {"name": "authorize", "parameters": [
            {"name": "client_id", "value": "111.apps.googleusercontent.com"}, {"name": "app_name", "value": "Notes"},
            {"name": "scope", "multiValue": ["openid", "https://www.googleapis.com/auth/drive"]},
            {"name": "client_type", "value": "WEB"}]},
        {"name": "activity", "parameters": [{"name": "app_name", "value": "Notes"}]}]}
    (grant,) = grants_from_activity(activity)
    assert (grant.idp, grant.app_id, grant.app_name, grant.user) == (
        "google", "111.apps.googleusercontent.com", "Notes", "ann@example.com")
    assert grant.scopes == ("openid", "https://www.googleapis.com/auth/drive")
    assert grant.timestamp == "2025-06-01T10:00:00Z" and ("client_type", "WEB") in grant.details


def test_an_authorize_event_naming_no_app_is_malformed():
    with pytest.raises(ValueError):
        list(grants_from_activity({"events": [{"name": "authorize", "parameters": []}]}))


def test_a_directory_token_without_a_display_name_is_named_by_its_client_id():
    (grant,) = grants_from_token({"clientId": "999.apps.googleusercontent.com", "scopes": ["email"],
                                  "user": "bob@example.com", "nativeApp": True})
    assert grant.app_name == "999.apps.googleusercontent.com" and grant.location == "directory:tokens"
    assert ("native_app", "True") in grant.details


def test_grants_record_their_risky_scopes_and_googles_own_apps_as_first_party():
    (grant,) = grants_from_token({"clientId": "77185425430.apps.googleusercontent.com", "displayText": "Chrome",
                                  "scopes": ["https://www.google.com/accounts/OAuthLogin", "email"],
                                  "user": "bob@example.com"})
    facts = dict(grant.details)
    assert facts["scope_risk"] == "high" and facts["first_party"] == "google"
    (other,) = grants_from_token({"clientId": "555.apps.googleusercontent.com", "displayText": "Notes",
                                  "scopes": ["https://www.googleapis.com/auth/calendar.readonly",
                                             "https://www.googleapis.com/auth/drive.file"],
                                  "user": "bob@example.com"})
    facts = dict(other.details)
    assert facts["risky_scopes"] == "https://www.googleapis.com/auth/calendar.readonly"
    assert facts["scope_risk"] == "medium" and "first_party" not in facts


def test_an_app_named_after_a_google_product_is_not_first_party_without_googles_client_id():
    (internal,) = grants_from_token({"clientId": "4242-internal.apps.googleusercontent.com",
                                     "displayText": "Google Drive for desktop",
                                     "scopes": ["https://www.googleapis.com/auth/drive"], "user": "bob@example.com"})
    facts = dict(internal.details)
    assert facts["scope_risk"] == "high" and "first_party" not in facts
    (chrome,) = grants_from_token({"clientId": "77185425430.apps.googleusercontent.com", "displayText": "Chromium",
                                   "scopes": ["https://www.google.com/accounts/OAuthLogin"], "user": "bob@example.com"})
    assert dict(chrome.details)["first_party"] == "google"  # Google's client id, whatever name it shows
