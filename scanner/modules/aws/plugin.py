"""The AWS module as a plugin: `shadowai scan aws`."""

from scanner.plugins.hookspecs import hookimpl


@hookimpl
def register_scan_commands(scan):
    from scanner.modules.aws.command import aws_command

    scan.add_command(aws_command)
