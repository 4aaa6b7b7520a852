"""Charts as inline SVG: no script, no external resource, readable in print (text stays text).

Each chart is a small function of (label, value) pairs; labels and titles are escaped.
"""

from __future__ import annotations

from html import escape

from markupsafe import Markup

WIDTH = 720
FONT = "font-family:system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:12px"
STATUS_COLOURS = {"sanctioned": "#2e7d32", "tolerated": "#9a7d0a", "blocked": "#6c3483", "unsanctioned": "#c0392b"}
DEFAULT_COLOUR = "#2f6db3"


def short(label: str, length: int = 34) -> str:
    return label if len(label) <= length else label[: length - 1] + "…"


def empty_chart(title: str) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" viewBox="0 0 {WIDTH} 40" '
        f'width="100%" style="{FONT}"><title>{escape(title)}</title>'
        f'<text x="4" y="24" fill="#555">No data yet.</text></svg>')


def horizontal_bars(items: list[tuple[str, int, str]], title: str, unit: str) -> Markup:
    """One bar per (label, value, status); the bar's colour says the sanction status."""
    if not items:
        return empty_chart(title)
    row, label_width, top = 22, 230, 8
    height = top + row * len(items) + 8
    biggest = max(value for _, value, _ in items) or 1
    span = WIDTH - label_width - 70
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" '
             f'viewBox="0 0 {WIDTH} {height}" width="100%" style="{FONT}"><title>{escape(title)}</title>']
    for index, (label, value, status) in enumerate(items):
        y = top + index * row
        length = max(1.0, span * value / biggest)
        colour = STATUS_COLOURS.get(status, DEFAULT_COLOUR)
        parts.append(f'<text x="{label_width - 8}" y="{y + 15}" text-anchor="end" fill="#222">{escape(short(label))}'
                     f'</text><rect x="{label_width}" y="{y + 3}" width="{length:.1f}" height="15" fill="{colour}">'
                     f'<title>{escape(label)}: {value} {escape(unit)} ({escape(status)})</title></rect>'
                     f'<text x="{label_width + length + 6:.1f}" y="{y + 15}" fill="#222">{value}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def columns(items: list[tuple[str, int]], title: str, unit: str) -> Markup:
    """Vertical bars over time (one per run or per day), with the first and last labels on the axis."""
    if not items:
        return empty_chart(title)
    height, bottom, left, top = 190, 36, 36, 12
    plot_height = height - bottom - top
    biggest = max(value for _, value in items) or 1
    step = (WIDTH - left - 10) / len(items)
    bar = max(1.0, min(28.0, step * 0.7))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" '
             f'viewBox="0 0 {WIDTH} {height}" width="100%" style="{FONT}"><title>{escape(title)}</title>',
             f'<line x1="{left}" y1="{top + plot_height}" x2="{WIDTH - 6}" y2="{top + plot_height}" stroke="#888"/>',
             f'<text x="{left - 6}" y="{top + 10}" text-anchor="end" fill="#555">{biggest}</text>',
             f'<text x="{left - 6}" y="{top + plot_height}" text-anchor="end" fill="#555">0</text>']
    for index, (label, value) in enumerate(items):
        bar_height = plot_height * value / biggest
        x = left + index * step + (step - bar) / 2
        parts.append(f'<rect x="{x:.1f}" y="{top + plot_height - bar_height:.1f}" width="{bar:.1f}" '
                     f'height="{bar_height:.1f}" fill="{DEFAULT_COLOUR}"><title>{escape(label)}: {value} '
                     f'{escape(unit)}</title></rect>')
    first, last = items[0][0], items[-1][0]
    parts.append(f'<text x="{left}" y="{height - 12}" fill="#555">{escape(first)}</text>')
    if len(items) > 1:
        parts.append(f'<text x="{WIDTH - 6}" y="{height - 12}" text-anchor="end" fill="#555">{escape(last)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
