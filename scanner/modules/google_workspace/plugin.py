"""The Google Workspace module as a plugin: `shadowai scan google`."""

from scanner.plugins.hookspecs import hookimpl
from scanner.plugins.lazy_commands import LazyCommand


@hookimpl
def register_lazy_scan_commands():
    # Imported only when run: the short help is the first sentence of the command's help (a test checks).
    return [
        LazyCommand("google", "scanner.modules.google_workspace.command:google_command",
                    "Read which third-party apps Google Workspace users authorised with their Google account (Admin "
                    "SDK Reports API token 'authorize' events, org-wide) and, with --tokens-per-user, the grants "
                    "each user holds now (Directory API)."),
    ]
