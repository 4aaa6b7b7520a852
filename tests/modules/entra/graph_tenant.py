"""A small Entra ID tenant served by the local Microsoft Graph, in the documented v1.0 shapes.

Apps: Microsoft Graph and Teams (first-party), Fireflies.ai (catalogue, admin consent, assigned users), "Meeting
Notes GPT" (not in the catalogue, looks like AI: per-user consent to Mail.Read, an application permission),
"Notetaker Pro" (catalogue by its reply-URL host app.read.ai), "Contoso HR" (not AI). The tenant has no Entra ID
P1/P2 licence: sign-ins answer 403.
"""

from __future__ import annotations

from typing import Any

from tests.support.microsoft_cloud import MicrosoftCloud, graph_error

MICROSOFT = "f8cdef31-a31e-4b4a-93e4-5f571e91255a"
VENDOR = "b1e2c3d4-0000-4000-8000-00000000f1f1"
GRAPH_APP = "00000003-0000-0000-c000-000000000000"
ROLE_MAIL = "810c84a8-4a9e-49e6-bf7d-12d183f40d01"
ROLE_FILES = "01d4889c-1287-42c6-ac1f-5d1e02578ef6"
USERS = {"u-alice": "Alice@Contoso.com", "u-bob": "bob@contoso.com", "u-carol": "carol@contoso.com"}
FIREFLIES, GPT, NOTETAKER, HR, TEAMS, GRAPH = "sp-ff", "sp-gpt", "sp-nt", "sp-hr", "sp-teams", "sp-graph"


def sp(ident: str, app_id: str, name: str, owner: str, *, reply: list[str] = (), publisher: str | None = None,
       verified: str | None = None, roles: list[dict] | None = None) -> dict[str, Any]:
    return {"id": ident, "appId": app_id, "displayName": name, "appDisplayName": name,
            "appOwnerOrganizationId": owner, "publisherName": publisher, "servicePrincipalType": "Application",
            "accountEnabled": True, "replyUrls": list(reply), "homepage": None,
            "verifiedPublisher": {"displayName": verified, "verifiedPublisherId": "123" if verified else None,
                                  "addedDateTime": None},
            **({"appRoles": roles} if roles is not None else {})}


SERVICE_PRINCIPALS = [
    sp(GRAPH, GRAPH_APP, "Microsoft Graph", MICROSOFT, roles=[
        {"id": ROLE_MAIL, "value": "Mail.Read", "displayName": "Read mail in all mailboxes"},
        {"id": ROLE_FILES, "value": "Files.Read.All", "displayName": "Read files in all site collections"}]),
    sp(TEAMS, "1fec8e78-bce4-4aaf-ab1b-5451cc387264", "Microsoft Teams", MICROSOFT),
    sp(FIREFLIES, "6a1f3f1b-ffff-4fff-8fff-0000000000ff", "Fireflies.ai", VENDOR,
       reply=["https://app.fireflies.ai/auth/microsoft/callback"], publisher="Fireflies.AI Corp",
       verified="Fireflies.AI Corp"),
    sp(GPT, "9b9b9b9b-1111-4111-8111-000000000gpt", "Meeting Notes GPT", "0c0c0c0c-0000-4000-8000-000000000001",
       reply=["https://notes-gpt.example.net/callback"], publisher="Indie Dev"),
    sp(NOTETAKER, "4e4e4e4e-2222-4222-8222-00000000note", "Notetaker Pro", "0c0c0c0c-0000-4000-8000-000000000002",
       reply=["https://app.read.ai/oauth/microsoft"]),
    sp(HR, "5f5f5f5f-3333-4333-8333-0000000000hr", "Contoso HR", "7f6c1d3e-2b4a-4c5d-9e8f-0a1b2c3d4e5f"),
]


def grant(ident: str, client: str, consent: str, scope: str, principal: str | None = None) -> dict[str, Any]:
    return {"id": ident, "clientId": client, "consentType": consent, "principalId": principal,
            "resourceId": GRAPH, "scope": scope}


GRANTS = [
    grant("g1", FIREFLIES, "AllPrincipals", "User.Read Calendars.Read OnlineMeetings.Read offline_access"),
    grant("g2", GPT, "Principal", "User.Read Mail.Read offline_access", "u-alice"),
    grant("g3", GPT, "Principal", "User.Read Mail.Read offline_access", "u-bob"),
    grant("g4", NOTETAKER, "Principal", "Calendars.Read", "u-alice"),
    grant("g5", HR, "AllPrincipals", "User.Read Mail.Read"),
    grant("g6", TEAMS, "AllPrincipals", "User.Read Files.ReadWrite.All"),
    grant("g7", "sp-deleted", "Principal", "User.Read", "u-bob"),
]


def consent_event(ident: str, when: str, user: str, target: str, app_id: str, name: str, admin: bool,
                  consent_type: str, scope: str) -> dict[str, Any]:
    return {
        "id": ident, "category": "ApplicationManagement", "correlationId": ident, "result": "success",
        "resultReason": "", "activityDisplayName": "Consent to application", "activityDateTime": when,
        "loggedByService": "Core Directory", "operationType": "Assign",
        "initiatedBy": {"app": None, "user": {"id": "x", "displayName": None, "userPrincipalName": user,
                                              "ipAddress": "203.0.113.7"}},
        "targetResources": [{
            "id": target, "displayName": name, "type": "ServicePrincipal", "userPrincipalName": None,
            "modifiedProperties": [
                {"displayName": "ConsentContext.IsAdminConsent", "oldValue": None, "newValue": f'"{admin}"'},
                {"displayName": "ConsentContext.IsAppOnly", "oldValue": None, "newValue": '"False"'},
                {"displayName": "ConsentContext.OnBehalfOfAll", "oldValue": None, "newValue": f'"{admin}"'},
                {"displayName": "ConsentContext.Tags", "oldValue": None, "newValue": '"WindowsAzureActiveDirectoryIntegratedApp"'},
                {"displayName": "ConsentAction.Permissions", "oldValue": None,
                 "newValue": f'"[] => [[Id: abc, ClientId: {target}, PrincipalId: , ResourceId: {GRAPH}, '
                             f'ConsentType: {consent_type}, Scope: {scope}, CreatedDateTime: , '
                             f'LastModifiedDateTime ]]; "'},
                {"displayName": "TargetId.ServicePrincipalNames", "oldValue": None, "newValue": f'"{app_id}"'},
            ]}],
        "additionalDetails": [{"key": "User-Agent", "value": "Mozilla/5.0"}],
    }


def build(cloud: MicrosoftCloud, *, throttle: bool = True, premium: bool = False) -> None:
    cloud.graph_collection("/v1.0/servicePrincipals", [
        {k: v for k, v in item.items() if k != "appRoles"} for item in SERVICE_PRINCIPALS], page_size=4)
    for item in SERVICE_PRINCIPALS:
        cloud.graph("GET", f"/v1.0/servicePrincipals/{item['id']}", lambda r, item=item: (200, {}, item))
    cloud.graph("GET", "/v1.0/servicePrincipals/sp-deleted", lambda r: graph_error(
        404, "Request_ResourceNotFound", "Resource 'sp-deleted' does not exist"))

    answers: list = [(429, {"Retry-After": "4"}, {"error": {"code": "TooManyRequests", "message": "Throttled"}})] \
        if throttle else []
    pages = {"0": GRANTS[:3], "3": GRANTS[3:6], "6": GRANTS[6:]}

    def permission_grants(request):
        if answers:
            return answers.pop(0)
        token = request.query.get("$skiptoken", ["0"])[0]
        body = {"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#oauth2PermissionGrants",
                "value": pages[token]}
        following = {"0": "3", "3": "6"}.get(token)
        if following:
            body["@odata.nextLink"] = f"{cloud.url}/v1.0/oauth2PermissionGrants?$skiptoken={following}"
        return 200, {}, body
    cloud.graph("GET", "/v1.0/oauth2PermissionGrants", permission_grants)

    for ident in (FIREFLIES, GPT, NOTETAKER, HR):
        cloud.graph_collection(f"/v1.0/servicePrincipals/{ident}/appRoleAssignments", [])
        cloud.graph_collection(f"/v1.0/servicePrincipals/{ident}/appRoleAssignedTo", [])
    cloud.graph_collection(f"/v1.0/servicePrincipals/{GPT}/appRoleAssignments", [
        {"id": "a1", "appRoleId": ROLE_MAIL, "principalId": GPT, "principalType": "ServicePrincipal",
         "principalDisplayName": "Meeting Notes GPT", "resourceId": GRAPH, "resourceDisplayName": "Microsoft Graph",
         "createdDateTime": "2025-05-20T08:00:00Z", "deletedDateTime": None}])
    cloud.graph_collection(f"/v1.0/servicePrincipals/{FIREFLIES}/appRoleAssignedTo", [
        {"id": "b1", "appRoleId": "00000000-0000-0000-0000-000000000000", "principalId": "u-carol",
         "principalType": "User", "principalDisplayName": "Carol", "resourceId": FIREFLIES,
         "resourceDisplayName": "Fireflies.ai", "createdDateTime": "2025-04-01T10:00:00Z"},
        {"id": "b2", "appRoleId": "00000000-0000-0000-0000-000000000000", "principalId": "grp-sales",
         "principalType": "Group", "principalDisplayName": "Sales", "resourceId": FIREFLIES,
         "resourceDisplayName": "Fireflies.ai", "createdDateTime": "2025-04-01T10:00:00Z"}], page_size=1)

    def get_by_ids(request):
        body = request.json()
        assert body["types"] == ["user"]
        return 200, {}, {"value": [{"@odata.type": "#microsoft.graph.user", "id": ident,
                                    "userPrincipalName": USERS[ident]} for ident in body["ids"] if ident in USERS]}
    cloud.graph("POST", "/v1.0/directoryObjects/getByIds", get_by_ids)

    def audits(request):
        assert "activityDisplayName eq 'Consent to application'" in request.query["$filter"][0]
        return 200, {}, {"value": [
            consent_event("e1", "2025-06-02T14:03:11.5Z", "alice@contoso.com", GPT, SERVICE_PRINCIPALS[3]["appId"],
                          "Meeting Notes GPT", False, "Principal", "User.Read Mail.Read offline_access"),
            consent_event("e2", "2025-05-28T09:00:00Z", "admin@contoso.com", FIREFLIES,
                          SERVICE_PRINCIPALS[2]["appId"], "Fireflies.ai", True, "AllPrincipals",
                          "User.Read Calendars.Read OnlineMeetings.Read offline_access"),
        ]}
    cloud.graph("GET", "/v1.0/auditLogs/directoryAudits", audits)

    def sign_ins(request):
        if not premium:
            return graph_error(403, "Authentication_RequestFromNonPremiumTenantOrB2CTenant",
                               "Neither tenant is B2C or tenant doesn't have premium license")
        assert "appId eq" in request.query["$filter"][0]
        return 200, {}, {"value": [
            {"id": "s1", "createdDateTime": "2025-06-03T07:00:00Z", "userPrincipalName": "bob@contoso.com",
             "appId": SERVICE_PRINCIPALS[3]["appId"], "appDisplayName": "Meeting Notes GPT",
             "clientAppUsed": "Browser", "resourceDisplayName": "Microsoft Graph", "status": {"errorCode": 0}},
            {"id": "s2", "createdDateTime": "2025-06-03T07:05:00Z", "userPrincipalName": "bob@contoso.com",
             "appId": SERVICE_PRINCIPALS[3]["appId"], "appDisplayName": "Meeting Notes GPT",
             "clientAppUsed": "Browser", "resourceDisplayName": "Microsoft Graph", "status": {"errorCode": 50126}},
        ]}
    cloud.graph("GET", "/v1.0/auditLogs/signIns", sign_ins)

    cloud.graph_collection("/v1.0/subscribedSkus", [
        {"capabilityStatus": "Enabled", "consumedUnits": 25, "id": "t_639dec6b", "skuId":
         "639dec6b-bb19-468b-871c-c5c441c4b0cb", "skuPartNumber": "Microsoft_365_Copilot", "appliesTo": "User",
         "prepaidUnits": {"enabled": 50, "suspended": 0, "warning": 0},
         "servicePlans": [{"servicePlanId": "p1", "servicePlanName": "M365_COPILOT_APPS",
                           "provisioningStatus": "Success", "appliesTo": "User"}]},
        {"capabilityStatus": "Enabled", "consumedUnits": 900, "id": "t_e5", "skuId": "06ebc4ee", "skuPartNumber":
         "SPE_E5", "appliesTo": "User", "prepaidUnits": {"enabled": 1000, "suspended": 0, "warning": 0},
         "servicePlans": []},
    ])
