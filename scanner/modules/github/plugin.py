"""The GitHub module as a plugin: its `scan github` command."""

from scanner.plugins.hookspecs import hookimpl


@hookimpl
def register_scan_commands(scan):
    from scanner.modules.github.command import github_command

    scan.add_command(github_command)
