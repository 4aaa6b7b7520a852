"""API-key rules are tried only where their literal prefix occurs, with the same matches as a full search."""

import re

import pytest

from scanner.matching.secret_rules import SecretRule, literal_prefix


@pytest.mark.parametrize("pattern, prefix", [
    (r"\b(up_[A-Za-z0-9]{29})\b", "up_"),
    (r"(?<![A-Za-z0-9_])(wandb_v1_[A-Za-z0-9_]{64,96})(?![A-Za-z0-9_-])", "wandb_v1_"),
    (r"\b(VF\.DM\.[0-9a-f]{24})\b", "VF.DM."),
    (r"\b((?:sk|pk)-helicone-[a-z0-9]{7})\b", ""),  # no single literal start
    (r"\b([0-9a-f]{8}:fx)\b", ""),
    (r"(?i)\b(up_[a-z]{3})\b", ""),  # case-insensitive: every spelling would have to be searched
    (r"\b(a[bc]d)", ""),  # one letter is not worth a search of its own
])
def test_the_literal_prefix_is_read_from_the_pattern(pattern, prefix):
    assert literal_prefix(re.compile(pattern)) == prefix


@pytest.mark.parametrize("pattern", [r"\b(up_[A-Za-z0-9]{5})\b", r"(?<![a-z])(up_[a-z]{2})", r"\bup_up_", r"up_(x)?"])
@pytest.mark.parametrize("text", [
    "setup_Abc12 up_Abc12 x=up_Abc12;up_Abc123 up_up_Abc12", "up_Abc12", "aup_Abc12", "up_up_up_up_", "",
    "lookup_ab up_ab up_abc\nup_zz", "up_", "up_xup_x",
])
def test_matches_are_those_of_a_full_search(pattern, text):
    regex = re.compile(pattern)
    rule = SecretRule("svc", "rule", ("up_",), regex, literal_prefix(regex))
    assert rule.prefix.startswith("up_")
    assert [m.span() for m in rule.finditer(text)] == [m.span() for m in regex.finditer(text)]
