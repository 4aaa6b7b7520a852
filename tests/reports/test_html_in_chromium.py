"""The HTML report and scope draft, rendered by headless Chromium: not blank, no console errors, printable.

The documents carry a Content-Security-Policy that forbids every external resource and script, so a template
that tried to load a font, a stylesheet or an image from elsewhere logs a console error, which fails the test.
"""

import io

import pytest
from PIL import Image, ImageStat

from scanner.config.model import Config, Scope, SourceConfig
from scanner.reports.inventory_report import render_report
from scanner.scope.draft import build_draft
from scanner.scope.draft_files import write_draft
from tests.support.chromium import print_to_pdf, render
from tests.support.findings import add_findings, seen


@pytest.fixture
def inventory(db):
    add_findings(db, [seen("chatgpt", f"user{i}") for i in range(6)] + [seen("claude", "ann"),
                                                                         seen("perplexity", "10.0.0.4")])
    add_findings(db, [seen("openai-api", "/src/a", source="repo", location="app.py")], module="repo",
                 gaps=[("/src/b", "clone failed: repository not found")])
    return db


def assert_renders_cleanly(path, work):
    rendering = render(path, work)
    assert rendering.console == [], rendering.console
    image = Image.open(io.BytesIO(rendering.screenshot)).convert("RGB")
    assert image.size == (1280, 1600)
    colours = image.getcolors(maxcolors=1 << 20)
    background = max(colours)[0]
    assert len(colours) > 20 and background < 0.98 * 1280 * 1600, "the screenshot is blank"
    assert max(ImageStat.Stat(image).stddev) > 10, "the screenshot has no contrast"


def test_the_report_renders_without_console_errors(tmp_path, inventory, catalogue):
    html = tmp_path / "report.html"
    html.write_text(render_report(inventory, catalogue), encoding="utf-8")
    text = html.read_text(encoding="utf-8")
    assert "<script" not in text and "http://" not in text.replace("http://www.w3.org/2000/svg", "")
    assert text.count("<svg") == 3
    assert_renders_cleanly(html, tmp_path)


def test_the_scope_draft_renders_without_console_errors(tmp_path, inventory, catalogue):
    config = Config(path=None, sources={"logs": SourceConfig("logs", {"paths": ["/var/log/squid/access.log"]})})
    draft = build_draft(inventory, catalogue, config, Scope("eng", "Engineering"))
    [_, html, _] = write_draft(draft, tmp_path / "drafts")
    assert_renders_cleanly(html, tmp_path)


def test_an_external_resource_in_a_template_is_caught(tmp_path, inventory, catalogue):
    mine = tmp_path / "templates"
    mine.mkdir()
    (mine / "style.css.j2").write_text("@import url(https://fonts.example.com/inter.css);", encoding="utf-8")
    html = tmp_path / "report.html"
    html.write_text(render_report(inventory, catalogue, templates_dir=mine), encoding="utf-8")
    console = render(html, tmp_path).console
    assert any("Content Security Policy" in line and "fonts.example.com" in line for line in console), console


def test_the_report_prints_to_pdf(tmp_path, inventory, catalogue):
    html = tmp_path / "report.html"
    html.write_text(render_report(inventory, catalogue), encoding="utf-8")
    pdf = print_to_pdf(html, tmp_path)
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") >= 1


def test_a_blank_page_fails_the_rendering_check(tmp_path):
    blank = tmp_path / "blank.html"
    blank.write_text("<!DOCTYPE html><html><body></body></html>", encoding="utf-8")
    with pytest.raises(AssertionError, match="blank"):
        assert_renders_cleanly(blank, tmp_path)


def test_without_chromium_the_tests_skip_but_fail_under_ci(monkeypatch):
    from tests.support import chromium

    monkeypatch.setattr(chromium.shutil, "which", lambda name: None)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install -y chromium"):
        chromium.chromium_binary()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="not installed"):
        chromium.chromium_binary()
