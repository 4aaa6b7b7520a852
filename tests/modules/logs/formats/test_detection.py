"""Every format's fixture is detected as that format and as no other: one table, every fixture through every
registered format's sniff, so a new format cannot quietly claim another's files."""

import importlib
import pkgutil

import pytest

from scanner.modules.logs.plugin import register_log_formats as log_formats
from tests.modules.logs.formats import reading
from tests.squid_lines import squid

OTHER_FIXTURES = [
    ("squid-native", "\n".join(squid(1764460800 + i, host, user="alice")
                               for i, host in enumerate(["chatgpt.com", "www.debian.org", "claude.ai"]))),
    ("host-list", "# resolver export\napi.anthropic.com\nwww.debian.org\nhttps://api.mistral.ai/v1/chat\n"),
]


def all_fixtures() -> list[tuple[str, str]]:
    fixtures = list(OTHER_FIXTURES)
    package = importlib.import_module("tests.modules.logs.formats")
    for module in pkgutil.iter_modules(package.__path__):
        if module.name.startswith("test_") and module.name != "test_detection":
            fixtures += getattr(importlib.import_module(f"{package.__name__}.{module.name}"), "FIXTURES", [])
    return fixtures


FIXTURES = all_fixtures()
FORMATS = log_formats()


def test_every_registered_format_has_a_fixture():
    assert {f.name for f in FORMATS} <= {name for name, _ in FIXTURES}


@pytest.mark.parametrize("expected, text", FIXTURES, ids=[f"{name}#{i}" for i, (name, _) in enumerate(FIXTURES)])
def test_fixture_is_detected_as_its_format_and_no_other(expected, text):
    head = reading.head(text)
    accepted = [log_format.name for log_format in FORMATS if log_format.sniff(head)]
    assert accepted == [expected]
