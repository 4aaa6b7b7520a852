"""Finding the line of a key in TOML text (tomllib gives values without positions)."""

from scanner.config.toml_lines import LineFinder, key_lines, split_key

DOCUMENT = '''\
# a comment with key = "value"
top = "x = 1"          # an = inside a string is not a key

[sources.logs]
paths = [
  "a.log",             # a key-like line inside an array: format = "no"
  "b.log",
]
format = "squid-native"

[scopes."eng.team"]
description = """
networks = ["not a key"]
"""
networks = ["10.0.0.0/8"]
site.name = "hq"

[[extra]]
value = 1
[[extra]]
value = 2
'''


def test_keys_tables_and_dotted_keys_get_their_own_lines():
    lines = key_lines(DOCUMENT)
    assert lines[("top",)] == 2
    assert lines[("sources", "logs")] == 4
    assert lines[("sources", "logs", "paths")] == 5
    assert lines[("sources", "logs", "format")] == 9
    assert lines[("scopes", "eng.team", "networks")] == 15
    assert lines[("scopes", "eng.team", "site", "name")] == 16


def test_lines_inside_arrays_and_multiline_strings_are_not_keys():
    lines = key_lines(DOCUMENT)
    assert ("sources", "logs", "format") in lines and lines[("sources", "logs", "format")] != 6
    assert lines[("scopes", "eng.team", "networks")] != 13


def test_array_tables_are_numbered():
    lines = key_lines(DOCUMENT)
    assert lines[("extra", 0, "value")] == 19
    assert lines[("extra", 1, "value")] == 21


def test_an_unwritten_key_falls_back_to_its_nearest_parent():
    assert LineFinder(DOCUMENT).line(("sources", "logs", "inline", "deeper")) == 4


def test_quoted_keys_keep_their_dots():
    assert split_key(' a."b.c" . d ') == ("a", "b.c", "d")
