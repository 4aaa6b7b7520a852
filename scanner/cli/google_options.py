"""Options shared by the commands that call Google APIs (`scan gcp`, `scan google`), and the client they build."""

from __future__ import annotations

import click

from scanner.clients.google import (DEFAULT_ENDPOINTS, Endpoints, GoogleClient, GoogleCredentialsError,
                                    TokenSource, load_credentials, parse_endpoint_overrides, pooled_http)


def google_options(function):
    function = click.option(
        "--api-url", "api_urls", multiple=True, metavar="[API=]URL",
        help="Base URL for Google APIs (a proxy, Private Service Connect, a test server): URL for all of them, or "
             f"API=URL for one of: {', '.join(DEFAULT_ENDPOINTS)} (repeatable).",
    )(function)
    function = click.option(
        "--token-url", metavar="URL",
        help="OAuth token endpoint [default: the key file's token_uri, https://oauth2.googleapis.com/token].",
    )(function)
    function = click.option(
        "--credentials", "credentials_path", type=click.Path(dir_okay=False), envvar="GOOGLE_APPLICATION_CREDENTIALS",
        help="Service account key (JSON) or application-default user credentials "
             "[env GOOGLE_APPLICATION_CREDENTIALS, else gcloud's application-default credentials].",
    )(function)
    return function


def google_tokens(credentials_path, token_url, api_urls, *,
                  connections: int = 10) -> tuple[TokenSource, Endpoints]:
    """Credentials, a token source and the endpoints, or a usage error (exit 2) that names no secret."""
    try:
        credentials = load_credentials(credentials_path)
    except GoogleCredentialsError as exc:
        raise click.UsageError(str(exc)) from None
    try:
        endpoints = Endpoints(parse_endpoint_overrides(api_urls))
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--api-url") from None
    return TokenSource(credentials, pooled_http(connections), token_url=token_url), endpoints


def described(client: GoogleClient, api_urls) -> dict:
    """Run parameters that say which identity and endpoints were used: never a key, a secret or a token."""
    credentials = client.tokens.credentials
    return {"credentials": credentials.kind, "identity": credentials.identity, "key": credentials.fingerprint,
            "subject": client.subject, "token_url": client.tokens.token_url, "api_urls": list(api_urls)}
