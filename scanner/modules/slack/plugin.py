"""The Slack module as a plugin: its `scan slack` command."""

from scanner.plugins.hookspecs import hookimpl


@hookimpl
def register_scan_commands(scan):
    from scanner.modules.slack.command import slack_command

    scan.add_command(slack_command)
