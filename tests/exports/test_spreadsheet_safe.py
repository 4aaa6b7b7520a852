import pytest

from scanner.exports.spreadsheet_safe import neutralise


@pytest.mark.parametrize("cell", ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_formula_triggers_are_prefixed_with_a_quote(cell):
    assert neutralise(cell) == "'" + cell


@pytest.mark.parametrize("cell, expected", [("-3", "-3"), ("+1.5", "+1.5"), (7, 7), (None, ""), ("alice", "alice")])
def test_plain_values_are_left_alone(cell, expected):
    assert neutralise(cell) == expected
