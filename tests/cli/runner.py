"""Run the real `shadowai` click group in-process, as a user would from a shell."""

from click.testing import CliRunner

from scanner.cli.main import cli


def shadowai(*args: str, input: str | None = None):
    return CliRunner().invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False)
