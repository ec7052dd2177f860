"""Inline SVG charts for documents: no script, no external asset, print the same as on screen.

Each function returns :class:`markupsafe.Markup` for a template, built from ``Markup`` templates
whose ``format`` escapes every value put in (labels, and colours a caller passes).
Sizes are in CSS pixels; the SVG scales to its container's width (``viewBox``).
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

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


_SVG_OPEN = Markup(
    '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {w} {h}"'
    ' width="{w}" height="{h}"><title>{title}</title>'
)
_SVG_CLOSE = Markup("</svg>")


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
    parts = [_SVG_OPEN.format(w=width, h=height, title=title)]
    bar = Markup(
        '<text x="{lx}" y="{ty}" text-anchor="end" font-size="11">{label}</text>'
        '<rect x="{x}" y="{y}" width="{length:.1f}" height="{h}" fill="{colour}"/>'
        '<text x="{vx:.1f}" y="{ty}" font-size="11">{value}</text>'
    )
    for index, (label, value) in enumerate(bars):
        y = gap + index * (bar_height + gap)
        length = max(0.0, value) / top * span
        parts.append(
            bar.format(
                lx=label_w - 6,
                ty=y + bar_height - 5,
                label=label,
                x=label_w,
                y=y,
                length=length,
                h=bar_height,
                colour=colours[index % len(colours)] if colours else SERIES,
                vx=label_w + length + 4,
                value=_fmt(value),
            )
        )
    parts.append(_SVG_CLOSE)
    return Markup("").join(parts)


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

    def xy(index: int, value: float) -> tuple[str, str]:
        y = pad + inner_h - (min(max(value, low), high) - low) / span * inner_h
        return f"{left + index * step:.1f}", f"{y:.1f}"

    tick = Markup('<text x="{x}" y="{y}" text-anchor="end" font-size="10">{text}</text>')
    parts = [
        _SVG_OPEN.format(w=width, h=height, title=title),
        Markup('<line x1="{x1}" y1="{y}" x2="{x2}" y2="{y}" stroke="#94a3b8"/>').format(
            x1=left, x2=width - pad, y=pad + inner_h
        ),
        tick.format(x=left - 4, y=pad + 8, text=_fmt(high)),
        tick.format(x=left - 4, y=pad + inner_h, text=_fmt(low)),
    ]
    dot = Markup('<circle cx="{cx}" cy="{cy}" r="2.5" fill="{fill}"><title>{label}: {value}</title></circle>')
    segment: list[str] = []
    for index, (label, value) in enumerate(points):
        if value is None:
            parts.append(_polyline(segment))
            segment = []
            continue
        cx, cy = xy(index, value)
        segment.append(f"{cx},{cy}")
        parts.append(dot.format(cx=cx, cy=cy, fill=SERIES, label=label, value=_fmt(value)))
    parts.append(_polyline(segment))
    if points:
        parts.append(
            Markup('<text x="{x}" y="{y}" font-size="10">{text}</text>').format(
                x=left, y=height - 6, text=points[0][0]
            )
        )
        parts.append(tick.format(x=width - pad, y=height - 6, text=points[-1][0]))
    parts.append(_SVG_CLOSE)
    return Markup("").join(parts)


def _polyline(points: list[str]) -> Markup:
    if len(points) < 2:
        return Markup("")
    return Markup('<polyline fill="none" stroke="{stroke}" stroke-width="2" points="{points}"/>').format(
        stroke=SERIES, points=" ".join(points)
    )
