"""The Entra ID module as a plugin: `shadowai scan entra`."""

from scanner.plugins.hookspecs import hookimpl
from scanner.plugins.lazy_commands import LazyCommand


@hookimpl
def register_lazy_scan_commands():
    # Imported only when run: the short help is the first sentence of the command's help (a test checks).
    return [
        LazyCommand("entra", "scanner.modules.entra.command:entra_command",
                    "Read which apps Microsoft Entra ID users and admins granted access to: delegated permission "
                    "grants (user and admin consent, with scopes), application permissions, assigned users, consent "
                    "events (who consented, when) and sign-ins of the last --days, and Microsoft 365 Copilot "
                    "licences."),
    ]
