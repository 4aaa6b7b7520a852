"""A REST API client whose token comes from an environment variable (`scan github`, `scan slack`, `scan repo
--github-org/--gitlab-group`).

A token is never an option: a command line is visible to every user of the machine (``ps``) and lands in shell
histories. Nor is it ever echoed: a missing token is a usage error that names the variable, not a value.
"""

from __future__ import annotations

import os
from typing import Callable, TypeVar

import click

Client = TypeVar("Client")


def token_client(client_class: Callable[..., Client], variable: str, missing: str, api_url: str) -> Client:
    """CLIENT_CLASS(token, api_url=API_URL) with the token read from VARIABLE; a usage error (exit 2) saying MISSING
    when it is unset or blank, and a bad --api-url (the client's ValueError) an error naming that option."""
    token = os.environ.get(variable, "").strip()
    if not token:
        raise click.UsageError(missing)
    try:
        return client_class(token, api_url=api_url)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--api-url") from exc
