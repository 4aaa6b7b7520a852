"""The scope tier tables by platform, and the evidence every OAuth grant records from them.

A grant's platform is its source module: ``entra`` (Microsoft Graph), ``google`` (Google Workspace), ``slack``
and ``github``. ``scope_details`` gives the two evidence fields all four record the same way: ``risky_scopes``
(medium- and high-tier scopes, high first) and ``scope_risk`` (the highest tier, only when one is flagged).
"""

from __future__ import annotations

from typing import Iterable

from scanner.oauth import github, google, microsoft, slack
from scanner.oauth.tiers import LOW, TierTable

TABLES: dict[str, TierTable] = {table.platform: table for table in (microsoft.TABLE, google.TABLE, slack.TABLE,
                                                                      github.TABLE)}


def scope_tier(platform: str, scope: str) -> str:
    """The tier of one scope; ``low`` for a platform without a table."""
    table = TABLES.get(platform)
    return table.tier(scope) if table else LOW


def risky(platform: str, scopes: Iterable[str]) -> tuple[tuple[str, ...], str]:
    table = TABLES.get(platform)
    return table.risky(scopes) if table else ((), LOW)


def scope_details(platform: str, scopes: Iterable[str]) -> dict[str, str | None]:
    """``risky_scopes`` and ``scope_risk`` for a grant's evidence (both empty when nothing is flagged)."""
    flagged, top = risky(platform, scopes)
    return {"risky_scopes": " ".join(flagged) or None, "scope_risk": top if flagged else None}
