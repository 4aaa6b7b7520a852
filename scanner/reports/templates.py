"""The Jinja2 environment over the report templates: a user's folder first, then the built-in reports/.

A user folder only needs the files it changes: any template it lacks comes from the built-in set. HTML
templates are autoescaped (names, users and paths in the inventory come from logs and repositories, which
anyone can write into); Markdown cells go through the ``md`` filter, which escapes Markdown syntax.
"""

from __future__ import annotations

import re
from pathlib import Path

import jinja2

MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|#!~])")


def builtin_reports_dir() -> Path:
    """The templates shipped in the wheel, or in a source tree the top-level reports/ folder."""
    package_dir = Path(__file__).resolve().parent.parent
    inside_wheel = package_dir / "_reports"
    if inside_wheel.is_dir():
        return inside_wheel
    return package_dir.parent / "reports"


def markdown_cell(value) -> str:
    """Text safe inside a Markdown table cell: one line, syntax characters escaped."""
    text = "" if value is None else str(value)
    text = " ".join(text.split())
    return MARKDOWN_SPECIAL.sub(r"\\\1", text)


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (plural_form or singular + 's')}"


def environment(user_dir: Path | None = None) -> jinja2.Environment:
    loaders = ([jinja2.FileSystemLoader(str(user_dir))] if user_dir else []) + [
        jinja2.FileSystemLoader(str(builtin_reports_dir()))]
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), default_for_string=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = markdown_cell
    env.filters["plural"] = plural
    return env


def render(name: str, user_dir: Path | None = None, **context) -> str:
    return environment(user_dir).get_template(name).render(**context)


def template_file(name: str, user_dir: Path | None = None) -> Path:
    """The file a template name resolves to (the user's copy when there is one)."""
    if user_dir and (Path(user_dir) / name).is_file():
        return Path(user_dir) / name
    return builtin_reports_dir() / name
