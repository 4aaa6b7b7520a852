"""The GitHub module as a plugin: its `scan github` command."""

from scanner.plugins.hookspecs import hookimpl
from scanner.plugins.lazy_commands import LazyCommand


@hookimpl
def register_lazy_scan_commands():
    # Imported only when run: the short help is the first sentence of the command's help (a test checks).
    return [
        LazyCommand("github", "scanner.modules.github.command:github_command",
                    "Read a GitHub organisation's installed GitHub Apps (AI code reviewers and agents: CodeRabbit, "
                    "Copilot, Devin, Claude, Cursor Bugbot, Qodo…), its Copilot seat holders with their last "
                    "activity, and the tokens members authorised for SAML single sign-on, and add the AI apps among "
                    "them to the inventory."),
    ]
