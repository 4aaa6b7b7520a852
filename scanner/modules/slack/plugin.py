"""The Slack module as a plugin: its `scan slack` command."""

from scanner.plugins.hookspecs import hookimpl
from scanner.plugins.lazy_commands import LazyCommand


@hookimpl
def register_lazy_scan_commands():
    # Imported only when run: the short help is the first sentence of the command's help (a test checks).
    return [
        LazyCommand("slack", "scanner.modules.slack.command:slack_command",
                    "Read which apps a Slack workspace or Enterprise Grid org has approved and which users "
                    "requested, and the integration log (apps added and removed, by whom, with which scopes), and "
                    "add the AI apps among them to the inventory."),
    ]
