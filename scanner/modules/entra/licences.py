"""Licensed products of the tenant, from ``GET /v1.0/subscribedSkus``, as ``LicenceSeen`` observations.

Each subscribed SKU names its product (``skuPartNumber``: ``Microsoft_365_Copilot``), the seats bought
(``prepaidUnits.enabled``) and assigned (``consumedUnits``) and the service plans it holds. The matcher knows
which products are AI services (Microsoft 365 Copilot by its catalogue name; other Copilot SKUs as
``unknown-ai-licence``). Needs Organization.Read.All (or LicenseAssignment.Read.All).
"""

from __future__ import annotations

from typing import Any, Iterator

from scanner import observations as obs
from scanner.clients.microsoft import MicrosoftClient
from scanner.modules.entra.grants import IDP, SOURCE


def as_int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def subscribed_skus(client: MicrosoftClient, tenant: str) -> Iterator[tuple[str, Any]]:
    """('licence', LicenceSeen) or ('bad', reason) per SKU."""
    for item in client.graph_pages("/v1.0/subscribedSkus"):
        if not item.get("skuPartNumber"):
            yield "bad", f"subscribedSku {item.get('id')}: no skuPartNumber"
            continue
        prepaid = item.get("prepaidUnits") if isinstance(item.get("prepaidUnits"), dict) else {}
        plans = tuple(str(plan.get("servicePlanName")) for plan in item.get("servicePlans") or []
                      if isinstance(plan, dict) and plan.get("servicePlanName"))
        yield "licence", obs.LicenceSeen(provider=IDP, tenant=tenant, sku=str(item["skuPartNumber"]),
                                         sku_id=str(item.get("skuId") or ""), assigned=as_int(item.get("consumedUnits")),
                                         purchased=as_int(prepaid.get("enabled")), source=SOURCE,
                                         location=f"{tenant}/subscribedSkus", plans=plans)
