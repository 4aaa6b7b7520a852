"""Log times to ISO 8601 UTC: offsets converted, zone-less times read as UTC, bad times named."""

import pytest

from scanner.modules.logs.formats.base import BadRecord
from scanner.modules.logs.formats.timestamps import iso8601, strptime_utc


@pytest.mark.parametrize("text, expected", [
    ("2018-07-05T15:01:09.820360-0400", "2018-07-05T19:01:09Z"),
    ("2022-01-23T09:16:05.341873447Z", "2022-01-23T09:16:05Z"),
    ("2025-11-26T13:51:07.582358+00:00", "2025-11-26T13:51:07Z"),
    ("2025-11-30T01:00:00+01", "2025-11-30T00:00:00Z"),
    ("2024-03-22 16:16:01", "2024-03-22T16:16:01Z"),
    ("2025-12-31T23:30:00-05:30", "2026-01-01T05:00:00Z"),
])
def test_iso8601_is_converted_to_utc(text, expected):
    assert iso8601(text) == expected


@pytest.mark.parametrize("text, reason", [
    ("30/11/2025 01:00:00", "not an ISO 8601"),
    ("2025-02-30T00:00:00Z", "not a real date"),
])
def test_bad_iso8601_times_are_bad_records(text, reason):
    with pytest.raises(BadRecord, match=reason):
        iso8601(text)


def test_a_fixed_layout_honours_its_offset():
    assert strptime_utc("30/Nov/2025:01:00:00 +0100", "%d/%b/%Y:%H:%M:%S %z") == "2025-11-30T00:00:00Z"
    with pytest.raises(BadRecord, match="generated time '2025/13/01 00:00:00' is not in the form"):
        strptime_utc("2025/13/01 00:00:00", "%Y/%m/%d %H:%M:%S", "generated time")
