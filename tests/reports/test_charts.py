"""Inline SVG charts: labels escaped, an empty chart says so."""

from xml.etree import ElementTree

from scanner.reports.charts import columns, horizontal_bars


def test_bars_are_valid_svg_with_escaped_labels():
    svg = horizontal_bars([("<script>alert(1)</script>", 5, "unsanctioned"), ("ChatGPT", 2, "sanctioned")],
                          "Services & users", "users")
    root = ElementTree.fromstring(str(svg))
    assert root.tag.endswith("svg") and "<script>" not in str(svg)
    assert len(root.findall(".//{http://www.w3.org/2000/svg}rect")) == 2


def test_columns_scale_to_the_largest_value():
    svg = str(columns([("run 1", 4), ("run 2", 0), ("run 3", 2)], "New services", "services"))
    ElementTree.fromstring(svg)
    assert 'height="0.0"' in svg and "run 1" in svg and "run 3" in svg


def test_an_empty_chart_says_there_is_no_data():
    assert "No data yet." in str(horizontal_bars([], "x", "y")) and "No data yet." in str(columns([], "x", "y"))
