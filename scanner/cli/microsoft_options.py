"""Options shared by the commands that call Microsoft APIs (`scan azure`, `scan entra`), and the client they build.

The client secret is read from AZURE_CLIENT_SECRET only, never from an option: a command line is visible to every
user of the machine (``ps``) and lands in shell histories.
"""

from __future__ import annotations

import click

from scanner.clients.http import HttpClient
from scanner.clients.microsoft import (ARM_URL, AUTHORITY_HOST, ENV_CERTIFICATE, ENV_CLIENT, ENV_SECRET, ENV_TENANT,
                                       GRAPH_URL, CredentialsError, MicrosoftClient, MicrosoftCredentials,
                                       MicrosoftEndpoints)


def microsoft_options(function):
    options = [
        click.option("--tenant-id", envvar=ENV_TENANT, metavar="ID",
                     help=f"Entra tenant (directory) id [env {ENV_TENANT}]."),
        click.option("--client-id", envvar=ENV_CLIENT, metavar="ID",
                     help=f"Application (client) id of the scanner's app registration [env {ENV_CLIENT}]. Its "
                          f"secret is read from {ENV_SECRET} only."),
        click.option("--client-certificate", "certificate_path", envvar=ENV_CERTIFICATE,
                     type=click.Path(dir_okay=False), metavar="PATH",
                     help=f"PEM or PKCS#12 file with the app's certificate and private key, instead of a secret "
                          f"[env {ENV_CERTIFICATE}; password in AZURE_CLIENT_CERTIFICATE_PASSWORD]."),
        click.option("--authority-url", envvar="AZURE_AUTHORITY_HOST", default=AUTHORITY_HOST, show_default=True,
                     metavar="URL", help="Microsoft identity platform host (a sovereign cloud, a proxy, a test "
                                         "server) [env AZURE_AUTHORITY_HOST]."),
        click.option("--graph-url", default=GRAPH_URL, show_default=True, metavar="URL",
                     help="Microsoft Graph base URL."),
        click.option("--arm-url", default=ARM_URL, show_default=True, metavar="URL",
                     help="Azure Resource Manager base URL."),
        click.option("--ca-bundle", type=click.Path(dir_okay=False, exists=True), metavar="PATH",
                     help="CA certificates to trust instead of the system's (a TLS-inspecting proxy). Certificate "
                          "checking is never turned off."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def microsoft_client(tenant_id, client_id, certificate_path, authority_url, graph_url, arm_url, ca_bundle
                     ) -> MicrosoftClient:
    """The client, or a usage error (exit 2) that names which variable is missing, never a secret."""
    try:
        credentials = MicrosoftCredentials.from_environment(tenant_id=tenant_id, client_id=client_id,
                                                            certificate_path=certificate_path)
        endpoints = MicrosoftEndpoints(authority_host=authority_url, graph=graph_url, arm=arm_url)
        if credentials.certificate_path:
            credentials.msal_credential()  # an unreadable certificate is a usage error, before any run starts
    except CredentialsError as exc:
        raise click.UsageError(str(exc)) from None
    verify = ca_bundle or True
    return MicrosoftClient(credentials, endpoints, http=HttpClient(verify=verify), verify=verify)


def described(client: MicrosoftClient) -> dict:
    """Run parameters that say which identity and endpoints were used: never a secret, a key or a token."""
    return {**client.credentials.describe(), **client.endpoints.describe()}
