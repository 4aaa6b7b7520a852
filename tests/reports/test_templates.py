"""Templates: a user's folder overrides single files; evidence is escaped in HTML and Markdown."""

from scanner.reports.templates import environment, markdown_cell, render


def test_a_user_folder_overrides_only_the_files_it_has(tmp_path):
    (tmp_path / "style.css.j2").write_text("body { color: #123456 }", encoding="utf-8")
    html = render("page.html.j2", tmp_path, tool_version="9")
    assert "#123456" in html and "Content-Security-Policy" in html


def test_html_templates_are_autoescaped_and_markdown_ones_are_not():
    env = environment()
    assert env.autoescape("x.html.j2") and not env.autoescape("x.md.j2")


def test_markdown_cells_escape_table_and_link_syntax():
    assert markdown_cell("a|b [x](http://e) <i>\nnext") == "a\\|b \\[x\\](http://e) \\<i\\> next"
