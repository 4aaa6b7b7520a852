"""The repository module as a plugin: its `scan repo` command."""

from scanner.plugins.hookspecs import hookimpl


@hookimpl
def register_scan_commands(scan):
    from scanner.modules.repo.command import repo_command

    scan.add_command(repo_command)
