"""AWS for every module that reads AWS: credentials, organisation accounts, regions, and calls that never crash.

- Credentials come from boto3's standard chain (``--profile``, environment, SSO, instance or task role). With an
  organisation role, every ACTIVE account of AWS Organizations ``ListAccounts`` is reached through STS
  ``AssumeRole`` of ``arn:<partition>:iam::<account>:role/<NAME>``; the credentials refresh themselves before
  they expire, so a long scan does not die after an hour. The caller's own account keeps the caller's
  credentials (an organisation's management account rarely has the member-account role).
- Regions: EC2 ``DescribeRegions`` (only the regions enabled for the account), or the ones the user names.
  Whether a service is offered in a region comes from botocore's endpoint data.
- Every client uses botocore's adaptive retry mode (client-side rate limiting plus backoff on throttling and
  5xx), so a module never sees a ``ThrottlingException`` unless every retry failed.
- A call that still fails raises ``AwsCallFailed`` naming the account, region and API, and saying whether it was
  denied (a permission or an opt-in missing), not offered there, or failed — the module records it as a coverage
  gap and carries on. Messages quote AWS's error code and text, never a credential.

Clients are cached per account, service and region until ``release``; creating one is serialised per account (a
boto3 session is not thread-safe), using one is not (botocore clients are). Sessions come from
``aws_sessions.new_session``, so that the hundreds of clients a scan makes share what botocore would rebuild for
each (service models, client classes, event handlers).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, Iterator

import boto3
import botocore.session
from botocore import xform_name
from botocore.config import Config
from botocore.credentials import CredentialProvider, CredentialResolver, RefreshableCredentials
from botocore.exceptions import (BotoCoreError, ClientError, ConnectionError as BotoConnectionError,
                                 NoCredentialsError, ProfileNotFound)

try:  # botocore internals it builds on may change with a botocore release: then plain sessions, only slower
    from scanner.clients.aws_sessions import compatible
    from scanner.clients.aws_sessions import new_session as _shared_session
except (ImportError, AttributeError):
    compatible = None


def new_session() -> botocore.session.Session:
    """A botocore session: one whose clients are cheap to make where this botocore allows it, else botocore's own."""
    if compatible is not None and compatible():
        return _shared_session()
    return botocore.session.get_session()

DEFAULT_REGION = "us-east-1"  # where the global APIs (Organizations, Cost Explorer) answer
SESSION_NAME = "shadowai-discovery"
MAX_ATTEMPTS = 10  # per call, with adaptive backoff; LookupEvents is limited to 2 calls/s per region

# Error codes meaning "these credentials may not do this here": a missing permission, an SCP, a region that is
# not enabled for the account (AWS then rejects the token itself), a service the account is not subscribed to.
DENIED_CODES = frozenset({
    "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnauthorizedException",
    "AuthorizationError", "AuthFailure", "UnrecognizedClientException", "InvalidClientTokenId",
    "ExpiredToken", "ExpiredTokenException", "OptInRequired", "SubscriptionRequiredException",
    "AWSOrganizationsNotInUseException", "NotAuthorized", "Forbidden", "403",
})
# The API exists but not for this account or region (a service not launched there, a feature not enabled).
NOT_OFFERED_CODES = frozenset({
    "UnknownOperationException", "UnsupportedOperation", "UnsupportedOperationException", "InvalidAction",
    "DataUnavailableException", "BillingViewHealthStatusException", "404", "NotFound",
})


class AwsCallFailed(Exception):
    """One API call that failed after retries. ``kind`` is ``denied``, ``not-offered`` or ``failed``."""

    def __init__(self, api: str, account: str, region: str, kind: str, reason: str) -> None:
        super().__init__(f"{api} in {account}/{region}: {kind}: {reason}")
        self.api = api
        self.account = account
        self.region = region
        self.kind = kind
        self.reason = reason


def classify(exc: Exception) -> tuple[str, str]:
    """(kind, reason) for an exception raised by botocore."""
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        code = str(error.get("Code") or exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or "")
        message = " ".join(str(error.get("Message") or "").split())[:300]
        if message.startswith("<"):  # an HTML error page from a proxy or a server fault: its status says enough
            message = ""
        reason = f"{code}: {message}" if message else code
        if code in DENIED_CODES:
            return "denied", reason
        if code in NOT_OFFERED_CODES:
            return "not-offered", reason
        return "failed", reason
    if isinstance(exc, NoCredentialsError):
        return "denied", "no AWS credentials found (profile, environment or instance role)"
    if isinstance(exc, BotoConnectionError):
        return "failed", f"endpoint unreachable: {type(exc).__name__}"
    return "failed", f"{type(exc).__name__}: {exc}"[:300]


@dataclass(frozen=True)
class OrgAccount:
    id: str
    name: str
    status: str


class _FixedProvider(CredentialProvider):
    """Hands botocore the refreshable credentials of an assumed role, as its only credential source."""

    METHOD = "assume-role"
    CANONICAL_NAME = "custom-assume-role"

    def __init__(self, credentials: RefreshableCredentials) -> None:
        super().__init__()
        self._credentials = credentials

    def load(self) -> RefreshableCredentials:
        return self._credentials


@dataclass
class AwsAccount:
    """An account reachable with one set of credentials, and the clients made for it."""

    id: str
    name: str
    session: boto3.Session
    config: Config
    endpoint_url: str | None = None
    via_role: str | None = None  # the role ARN assumed to reach it, None for the caller's own credentials
    _clients: dict[tuple[str, str], Any] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _regions: dict[tuple[str, str], frozenset[str]] = field(default_factory=dict, repr=False)

    def client(self, service: str, region: str):
        key = (service, region)
        found = self._clients.get(key)  # made already: no need to wait while another thread makes one
        if found is not None:
            return found
        with self._lock:
            found = self._clients.get(key)
            if found is None:
                found = self.session.client(service, region_name=region, config=self.config,
                                            endpoint_url=self.endpoint_url)
                self._clients[key] = found
            return found

    def release(self, service: str, region: str) -> None:
        """Forget the client of a service and region and close its connections: a scan makes hundreds, each
        holding a connection pool and a copy of the session's event handlers, and uses each in one task."""
        found = self._clients.pop((service, region), None)
        if found is not None:
            found.close()

    def partition(self, region: str) -> str:
        try:
            return self.session.get_partition_for_region(region)
        except Exception:  # an unknown region name: the commercial partition
            return "aws"

    def offered(self, service: str, region: str) -> bool:
        """Whether botocore's endpoint data lists the service in the region. A service it knows no regions for
        (new, or endpoint-ruleset only) is assumed offered everywhere, so nothing is skipped on a guess."""
        partition = self.partition(region)
        regions = self._regions.get((service, partition))
        if regions is None:
            regions = frozenset(self.session.get_available_regions(service, partition_name=partition))
            self._regions[(service, partition)] = regions
        return not regions or region in regions

    def has_client(self, service: str) -> bool:
        return service in self.session.get_available_services()

    def call(self, service: str, operation: str, region: str, **params: Any) -> dict[str, Any]:
        client = self.client(service, region)
        try:
            return getattr(client, _snake(operation))(**params)
        except (ClientError, BotoCoreError) as exc:
            kind, reason = classify(exc)
            raise AwsCallFailed(f"{_prefix(client)}:{operation}", self.id, region, kind, reason) from exc

    def pages(self, service: str, operation: str, region: str, **params: Any) -> Iterator[dict[str, Any]]:
        """Every page of a list operation: botocore's paginator when it has one, else the NextToken loop."""
        client = self.client(service, region)
        method = _snake(operation)
        api = f"{_prefix(client)}:{operation}"
        try:
            if client.can_paginate(method):
                yield from client.get_paginator(method).paginate(**params)
                return
            token_name = _token_name(client, operation)
            while True:
                page = getattr(client, method)(**params)
                yield page
                token = page.get(token_name) if token_name else None
                if not token or token == params.get(token_name):  # no more pages, or a token that goes nowhere
                    return
                params = dict(params, **{token_name: token})
        except (ClientError, BotoCoreError) as exc:
            kind, reason = classify(exc)
            raise AwsCallFailed(api, self.id, region, kind, reason) from exc


def _snake(operation: str) -> str:
    return xform_name(operation)


def _prefix(client) -> str:
    """The IAM action prefix of a client's API (``bedrock``, ``sagemaker``, ``lex``), for messages."""
    model = client.meta.service_model
    return model.signing_name or model.endpoint_prefix


def _token_name(client, operation: str) -> str | None:
    members = client.meta.service_model.operation_model(operation).input_shape.members
    for name in ("NextToken", "nextToken", "NextPageToken"):
        if name in members:
            return name
    return None


def client_config(max_attempts: int = MAX_ATTEMPTS, pool: int = 10) -> Config:
    return Config(retries={"mode": "adaptive", "max_attempts": max_attempts}, connect_timeout=10, read_timeout=60,
                  max_pool_connections=pool, user_agent_extra="shadowai")


class AwsClient:
    """The caller's credentials and what can be reached from them."""

    def __init__(self, *, profile: str | None = None, endpoint_url: str | None = None,
                 max_attempts: int = MAX_ATTEMPTS) -> None:
        try:
            self.session = boto3.Session(botocore_session=new_session(), profile_name=profile)
        except ProfileNotFound as exc:
            raise AwsSetupError(str(exc)) from exc
        self.endpoint_url = endpoint_url
        self.config = client_config(max_attempts)
        self.home_region = self.session.region_name or DEFAULT_REGION

    def caller(self) -> AwsAccount:
        """The account of the credentials themselves (STS GetCallerIdentity, allowed to every principal)."""
        account = AwsAccount("unknown", "caller", self.session, self.config, self.endpoint_url)
        try:
            identity = account.call("sts", "GetCallerIdentity", self.home_region)
        except AwsCallFailed as exc:
            raise AwsSetupError(f"cannot use the AWS credentials: {exc.reason}") from exc
        account.id = identity["Account"]
        return account

    def organisation_accounts(self, caller: AwsAccount) -> Iterator[OrgAccount]:
        """Organizations ListAccounts (management account or delegated administrator), every page."""
        for page in caller.pages("organizations", "ListAccounts", DEFAULT_REGION):
            for item in page.get("Accounts", []):
                status = item.get("State") or item.get("Status") or "ACTIVE"
                yield OrgAccount(item["Id"], item.get("Name") or item["Id"], status)

    def assume(self, caller: AwsAccount, account: OrgAccount, role_name: str) -> AwsAccount:
        """Credentials for a member account via STS AssumeRole; refreshed by botocore before they expire."""
        partition = caller.partition(self.home_region)
        role_arn = f"arn:{partition}:iam::{account.id}:role/{role_name}"

        def fetch() -> dict[str, str]:
            response = caller.call("sts", "AssumeRole", self.home_region, RoleArn=role_arn,
                                   RoleSessionName=SESSION_NAME)
            credentials = response["Credentials"]
            return {"access_key": credentials["AccessKeyId"], "secret_key": credentials["SecretAccessKey"],
                    "token": credentials["SessionToken"], "expiry_time": credentials["Expiration"].isoformat()}

        credentials = RefreshableCredentials.create_from_metadata(fetch(), fetch, "assume-role")
        core = new_session()
        core.register_component("credential_provider", CredentialResolver([_FixedProvider(credentials)]))
        # Share the parsed service models: a hundred accounts must not load and hold a hundred copies.
        core.register_component("data_loader", self.session._session.get_component("data_loader"))
        session = boto3.Session(botocore_session=core, region_name=self.home_region)
        return AwsAccount(account.id, account.name, session, self.config, self.endpoint_url, via_role=role_arn)

    def enabled_regions(self, account: AwsAccount) -> list[str]:
        """Regions enabled for the account: EC2 DescribeRegions leaves out opt-in regions not opted in."""
        response = account.call("ec2", "DescribeRegions", self.home_region)
        return sorted(
            item["RegionName"] for item in response.get("Regions", [])
            if item.get("OptInStatus", "opt-in-not-required") != "not-opted-in"
        )


class AwsSetupError(Exception):
    """The scan cannot start: no usable credentials, an unknown profile."""
