"""Inline SVG charts for documents: no script, no external asset, print the same as on screen.

Each function returns :class:`markupsafe.Markup` for a template (labels are escaped here).
Sizes are in CSS pixels; the SVG scales to its container's width (``viewBox``).
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

#: Colours by severity (blocker first), and a neutral series colour.
SEVERITY_COLOURS = {
    "blocker": "#7f1d1d",
    "critical": "#b91c1c",
    "major": "#ea580c",
    "minor": "#ca8a04",
    "info": "#64748b",
}
SERIES = "#1d4ed8"


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def bar_chart(
    bars: Sequence[tuple[str, float]],
    *,
    colours: Sequence[str] | None = None,
    width: int = 520,
    bar_height: int = 18,
    title: str = "",
) -> Markup:
    """Horizontal bars, one per ``(label, value)``, longest = the largest value."""
    label_w, gap = 150, 6
    height = max(1, len(bars)) * (bar_height + gap) + gap
    top = max((value for _, value in bars), default=0.0) or 1.0
    span = width - label_w - 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {width} {height}"'
        f' width="{width}" height="{height}"><title>{escape(title)}</title>'
    ]
    for index, (label, value) in enumerate(bars):
        y = gap + index * (bar_height + gap)
        colour = colours[index % len(colours)] if colours else SERIES
        length = max(0.0, value) / top * span
        parts.append(
            f'<text x="{label_w - 6}" y="{y + bar_height - 5}" text-anchor="end" font-size="11">'
            f"{escape(label)}</text>"
            f'<rect x="{label_w}" y="{y}" width="{length:.1f}" height="{bar_height}" fill="{colour}"/>'
            f'<text x="{label_w + length + 4:.1f}" y="{y + bar_height - 5}" font-size="11">'
            f"{_fmt(value)}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def severity_chart(
    counts: dict[str, int] | Sequence[tuple[str, int]], labels: dict[str, str], title: str = ""
) -> Markup:
    """Open findings per severity, in the severity scale's order and colours."""
    items = dict(counts)
    order = [s for s in SEVERITY_COLOURS if s in items] + sorted(
        s for s in items if s not in SEVERITY_COLOURS
    )
    bars = [(labels.get(s, s), float(items[s])) for s in order]
    colours = [SEVERITY_COLOURS.get(s, SERIES) for s in order]
    return bar_chart(bars, colours=colours, title=title)


def line_chart(
    points: Sequence[tuple[str, float | None]],
    *,
    width: int = 520,
    height: int = 160,
    low: float = 0.0,
    high: float = 100.0,
    title: str = "",
) -> Markup:
    """A line over ``(label, value)`` points (None: a gap), y from ``low`` to ``high``."""
    left, bottom, pad = 36, 22, 8
    inner_w, inner_h = width - left - pad, height - bottom - pad
    step = inner_w / max(1, len(points) - 1)
    span = (high - low) or 1.0

    def xy(index: int, value: float) -> str:
        y = pad + inner_h - (min(max(value, low), high) - low) / span * inner_h
        return f"{left + index * step:.1f},{y:.1f}"

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {width} {height}"'
        f' width="{width}" height="{height}"><title>{escape(title)}</title>',
        f'<line x1="{left}" y1="{pad + inner_h}" x2="{width - pad}" y2="{pad + inner_h}" stroke="#94a3b8"/>',
        f'<text x="{left - 4}" y="{pad + 8}" text-anchor="end" font-size="10">{_fmt(high)}</text>',
        f'<text x="{left - 4}" y="{pad + inner_h}" text-anchor="end" font-size="10">{_fmt(low)}</text>',
    ]
    segment: list[str] = []
    for index, (label, value) in enumerate(points):
        if value is None:
            parts.append(_polyline(segment))
            segment = []
            continue
        segment.append(xy(index, value))
        parts.append(
            f'<circle cx="{xy(index, value).split(",")[0]}" cy="{xy(index, value).split(",")[1]}" r="2.5"'
            f' fill="{SERIES}"><title>{escape(label)}: {_fmt(value)}</title></circle>'
        )
    parts.append(_polyline(segment))
    if points:
        parts.append(f'<text x="{left}" y="{height - 6}" font-size="10">{escape(points[0][0])}</text>')
        parts.append(
            f'<text x="{width - pad}" y="{height - 6}" text-anchor="end" font-size="10">'
            f"{escape(points[-1][0])}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _polyline(points: list[str]) -> str:
    if len(points) < 2:
        return ""
    return f'<polyline fill="none" stroke="{SERIES}" stroke-width="2" points="{" ".join(points)}"/>'
