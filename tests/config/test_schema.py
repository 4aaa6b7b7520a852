"""The [sources.*] tables match the options of the installed `shadowai scan` commands."""

import pytest

from scanner.cli.discover import scan_commands
from scanner.config.model import SourceConfig
from scanner.config.schema import SOURCES
from scanner.scope.run_sources import command_line

SAMPLES = {"str": "x", "bool": True, "int": 2, "number": 1.5, "strings": ["a"], "path": "/p", "paths": ["/p"],
           "targets": ["/p"], "size": "5M", "cidrs": ["10.0.0.0/8"]}


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_every_key_of_a_source_is_an_option_of_its_command(name):
    schema = SOURCES[name]
    command = scan_commands().get(schema.command)
    if command is None:
        pytest.skip(f"'shadowai scan {schema.command}' is not installed yet: its table is checked when it is")
    options = {key: SAMPLES[field.kind] for key, field in schema.fields.items() if key != "enabled"}
    argv = command_line(SourceConfig(name, options), command, db_path="x.db", signature_dirs=[], quiet=True)
    assert "--db" in argv  # every key found a parameter, or command_line would have raised
