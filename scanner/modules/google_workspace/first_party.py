"""Google's own apps among a Workspace domain's OAuth grants: Google Chrome's sign-in holds a whole-account scope
and the Cloud SDK's a Cloud-wide one, yet they are Google's own clients, not third-party apps to review.

Known by client id, each with the broad scopes it is built to ask for: the Cloud SDK's public client ids are
also borrowed by scripts and agents to reach Gmail or Drive, and such a grant is not first-party. Or known by a
Google product name as the app's name: Google's branding rules refuse third-party apps named after a Google
product ("Google Drive for iOS", "Gmail for Android" are given as unacceptable names;
https://support.google.com/cloud/answer/15549049).
"""

from __future__ import annotations

from typing import Iterable

from scanner.oauth.google import TABLE, short_name
from scanner.oauth.tiers import HIGH

CLOUD = frozenset({"cloud-platform", "cloud-platform.read-only", "appengine.admin", "sqlservice.login",
                   "compute", "accounts.reauth"})
GOOGLE_CLIENTS = {
    "77185425430.apps.googleusercontent.com": frozenset({"https://www.google.com/accounts/oauthlogin"}),  # Chrome
    "32555940559.apps.googleusercontent.com": CLOUD,  # Google Cloud SDK (gcloud auth login)
    "764086051850-6qr4p6gpi6hn506pt8ejuq83di341hur.apps.googleusercontent.com": CLOUD,  # gcloud ADC login
}
GOOGLE_APP_NAMES = frozenset({"google chrome", "google drive for desktop",
                              "google workspace sync for microsoft outlook"})


def google_app(client_id: str, app_name: str | None, scopes: Iterable[str]) -> bool:
    """A Google client asking for what it is built to ask for, or an app under a Google product's name."""
    if (app_name or "").strip().lower() in GOOGLE_APP_NAMES:
        return True
    expected = GOOGLE_CLIENTS.get(client_id)
    if expected is None:
        return False
    return all(short_name(scope) in expected for scope in scopes if TABLE.tier(scope) == HIGH)
