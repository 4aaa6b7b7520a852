"""Inside or outside a scope: the boundaries that apply depend on the finding's source."""

import ipaddress
import json

import pytest

from scanner.config.model import Scope
from scanner.scope.boundaries import Boundaries


def row(source="logs", subject="10.1.2.3", location="/var/log/squid/access.log", **evidence):
    return {"source": source, "subject": subject, "location": location, "evidence": json.dumps(evidence)}


ENGINEERING = Scope("eng", networks=(ipaddress.ip_network("10.1.0.0/16"),), users=("*@eng.example.com",),
                    departments=("R&D",), repos=("*/payments-*",), aws_accounts=("111122223333",),
                    tenants=("contoso.onmicrosoft.com",))
PEOPLE = {"carol@example.com": "R&D", "dave": "Sales"}


@pytest.mark.parametrize("finding, inside", [
    (row(subject="10.1.2.3"), True),  # device in the scope's network
    (row(subject="10.9.2.3"), False),
    (row(subject="ann@eng.example.com", client="10.9.0.1"), True),  # user pattern
    (row(subject="bob", client="10.1.0.7"), True),  # a named user, from a device inside
    (row(subject="bob", client="10.9.0.7"), False),
    (row(subject="carol"), True),  # department via the local part of carol@example.com
    (row(subject="dave"), False),  # another department
    (row(subject="LT-0042", device="LT-0042", department="R&D"), True),  # department from a logs subject map
    (row(subject="unknown"), False),
    (row(source="repo", subject="/src/payments-api", location="requirements.txt"), True),
    (row(source="repo", subject="/src/marketing-site", location="package.json"), False),
    (row(source="aws", subject="arn:aws:iam::111122223333:role/ml", location="us-east-1"), True),
    (row(source="aws", subject="arn:aws:iam::999999999999:role/ml", location="us-east-1"), False),
    (row(source="entra", subject="tenant:entra", location="contoso.onmicrosoft.com/grants"), True),
    (row(source="entra", subject="eve@eng.example.com", location="other-tenant"), True),  # users apply too
    (row(source="gcp", subject="gcp:acme-prod", location="projects/acme-prod"), True),  # no project boundary
    (row(source="dns-zone", subject="example.com"), True),  # no boundary applies to zones
])
def test_a_finding_is_inside_when_a_boundary_that_applies_matches(finding, inside):
    assert Boundaries(ENGINEERING, PEOPLE).inside(finding) is inside


def test_a_scope_without_boundaries_takes_everything():
    assert Boundaries(Scope("all")).inside(row(subject="192.0.2.1"))


def test_ipv6_clients_are_matched_against_ipv6_networks_only():
    scope = Scope("v6", networks=(ipaddress.ip_network("10.0.0.0/8"), ipaddress.ip_network("2001:db8::/32")))
    assert Boundaries(scope).inside(row(subject="2001:db8::5"))
    assert not Boundaries(scope).inside(row(subject="2001:dead::5"))


def test_a_device_named_by_a_subject_map_counts_as_a_device():
    from scanner.inventory.service_evidence import subject_kind

    assert subject_kind("logs", "LT-0042", {"device": "LT-0042"}) == "devices"
    assert subject_kind("logs", "alice", {"device": "LT-0042", "user": "alice"}) == "users"
