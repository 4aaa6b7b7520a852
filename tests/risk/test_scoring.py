"""Additive scoring rules, and their documentation."""

import datetime as dt
import json
import re
from pathlib import Path

from scanner.risk.scoring import RULES, score
from scanner.risk.templates import TEMPLATE_IDS
from scanner.scope.draft import ServiceLine

TODAY = dt.date(2025, 12, 1)
DOC = (Path(__file__).resolve().parents[2] / "reports" / "risk-register.md").read_text(encoding="utf-8")


def line(**changes) -> ServiceLine:
    values = dict(service_id="x", name="X", vendor="V", category="image-generation", category_name="Images",
                  status="sanctioned", owner="o", approved_use="", review_date="",
                  subjects={"users": ["a"], "devices": [], "accounts": [], "repos": [], "other": []},
                  sources=["logs"], locations=1, first_seen="2025-01-01T00:00:00Z",
                  last_seen="2025-01-01T00:00:00Z", hits=1, findings=1,
                  risk={"trains_on_customer_data": "no", "certifications": "SOC 2"}, exposed_keys=0)
    values.update(changes)
    return ServiceLine(**values)


def test_a_sanctioned_quiet_low_data_service_scores_the_base():
    result = score(line(), TODAY)
    assert (result.likelihood, result.impact, result.inherent, result.rating, result.fired) == (1, 1, 1, "low", ())


def test_rules_add_up_and_are_explained():
    many = {"users": [f"u{i}" for i in range(12)], "devices": [], "accounts": [], "repos": [], "other": []}
    result = score(line(subjects=many, status="unsanctioned", last_seen="2025-11-20T00:00:00Z", hits=500,
                        category="meeting-assistant", risk={"trains_on_customer_data": "unknown",
                                                            "certifications": "unknown"}), TODAY)
    assert result.likelihood == 5  # 1 + spread, wide spread, no sanction, recent, volume (capped at 5)
    assert result.impact == 5  # 1 + sensitive category 2 + training 1 + no certification 1
    assert result.inherent == 25 and result.rating == "high"
    assert "L3-no-sanction +1" in result.explanation() and "I1-sensitive-category +2" in result.explanation()


def test_an_exposed_key_raises_impact():
    assert score(line(exposed_keys=2), TODAY).impact == 3


def test_scores_are_capped_at_five():
    result = score(line(category="hr-recruiting", exposed_keys=1, risk={"trains_on_customer_data": "yes",
                                                                         "certifications": "unknown"}), TODAY)
    assert result.impact == 5


def test_every_rule_and_template_is_documented():
    for rule in RULES:
        row = re.search(rf"\| `{re.escape(rule.id)}` \| {rule.axis} \| {rule.points} \|", DOC)
        assert row, f"{rule.id} is not documented with its axis and points in reports/risk-register.md"
    for template_id in TEMPLATE_IDS:
        assert f"| `{template_id}` |" in DOC, template_id


def oauth_row(subject, scopes, **evidence):
    return {"service_id": "x", "source": "entra", "subject": subject, "location": "t/oauth2PermissionGrants",
            "matched_by": "oauth", "evidence": json.dumps({"scopes": scopes, **evidence})}


def test_high_risk_scopes_raise_impact_by_two_and_medium_ones_by_one():
    broad = score(line(rows=[oauth_row("ann@x.com", "User.Read Mail.Read"), oauth_row("bob@x.com", "User.Read")]),
                  TODAY)
    assert broad.impact == 3 and "I7-broad-scopes +2" in broad.fired and broad.likelihood == 1
    calendars = score(line(rows=[oauth_row("ann@x.com", "Calendars.Read offline_access")]), TODAY)
    assert calendars.impact == 2 and calendars.fired == ("I8-scopes +1",)
    assert score(line(rows=[oauth_row("ann@x.com", "User.Read openid")]), TODAY).impact == 1


def test_an_org_wide_grant_raises_likelihood():
    result = score(line(rows=[oauth_row("tenant:entra", "User.Read")]), TODAY)
    assert result.likelihood == 2 and result.fired == ("L6-org-wide-grant +1",)
