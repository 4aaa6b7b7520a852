"""The CLI help is the manual: every command has a summary, documented options and an example."""

import click
import pytest

from scanner.cli.main import cli
from tests.cli.runner import shadowai


def all_commands(group=cli, prefix=()):
    context = click.Context(group)
    for name in group.list_commands(context):  # lazy commands too, imported here
        command = group.get_command(context, name)
        yield prefix + (name,), command
        if isinstance(command, click.Group):
            yield from all_commands(command, prefix + (name,))


@pytest.mark.parametrize("path, command", list(all_commands()), ids=lambda v: " ".join(v) if isinstance(v, tuple) else "")
def test_every_command_has_help_with_an_example(path, command):
    result = shadowai(*path, "--help")
    assert result.exit_code == 0
    assert command.help and len(command.help.strip()) > 20, path
    assert "Example: shadowai" in command.help, f"'shadowai {' '.join(path)}' has no Example"
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden:
            assert param.help, f"'shadowai {' '.join(path)}' option {param.opts} has no help"


def test_top_level_help_documents_exit_codes():
    result = shadowai("--help")
    assert "Exit codes: 0 success; 1 partial" in result.output
    assert "4 database lock not acquired" in result.output
