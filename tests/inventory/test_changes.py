"""What a run changed: new unsanctioned services, and what does not count as one."""

from scanner.config.sanctions import Sanction, apply_sanctions
from scanner.inventory.changes import known_services, new_unsanctioned
from tests.support.findings import add_findings, seen

DEPLOYMENT = "subscriptions/s1/resourceGroups/ai/providers/Microsoft.CognitiveServices/accounts/acme/deployments/gpt4o"


def test_a_model_vendor_seen_only_through_a_sanctioned_platform_is_not_a_new_unsanctioned_service(db, catalogue):
    apply_sanctions(db, [Sanction("azure-openai", "sanctioned", "it@example.com")])
    before = known_services(db)
    add_findings(db, [
        seen("azure-openai", "azure:s1", source="azure", location=DEPLOYMENT, matched_by="cloud:azure:openai"),
        seen("openai-api", "azure:s1", source="azure", location=DEPLOYMENT, matched_by="models:gpt-4o-*",
             evidence={"via": "azure-openai", "model": "gpt-4o"}),
    ], module="azure")
    assert new_unsanctioned(db, catalogue, before) == []
    assert known_services(db) == {"azure-openai"}


def test_direct_use_of_a_vendor_known_only_through_a_platform_is_new(db, catalogue):
    add_findings(db, [seen("openai-api", "azure:s1", source="azure", location=DEPLOYMENT,
                           matched_by="models:gpt-4o-*", evidence={"via": "azure-openai"})], module="azure")
    before = known_services(db)
    add_findings(db, [seen("openai-api", "10.0.0.7", location="/var/log/squid/access.log",
                           matched_by="domains:api.openai.com")])
    assert new_unsanctioned(db, catalogue, before) == ["openai-api"]
