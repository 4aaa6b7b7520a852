"""Google's own apps among a Workspace domain's OAuth grants: Google Chrome's sign-in holds a whole-account scope
and the Cloud SDK's a Cloud-wide one, yet they are Google's own clients, not third-party apps to review.

Known by client id only, each with the broad scopes it is built to ask for: the Cloud SDK's public client ids are
also borrowed by scripts and agents to reach Gmail or Drive, and such a grant is not first-party. Never by name:
an app of the domain's own (user type Internal, which Google does not verify) can take any name, "Google Drive for
desktop" included. A Google app whose client id is not listed here (Google Drive for desktop, Google Workspace
Sync for Microsoft Outlook: no client id of theirs is documented) is reviewed like any other app.
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


def google_app(client_id: str, scopes: Iterable[str]) -> bool:
    """A Google client, known by its client id, asking for no broad scope beyond what it is built to ask for."""
    expected = GOOGLE_CLIENTS.get(client_id)
    if expected is None:
        return False
    return all(short_name(scope) in expected for scope in scopes if TABLE.tier(scope) == HIGH)
