"""Server-side SVG charts (score trends) and score colour classes: no chart library shipped."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from html import escape


def score_class(score: float | None) -> str:
    """A CSS class for a 0–100 score (heat-map cells)."""
    if score is None:
        return "s-none"
    if score >= 90:
        return "s-a"
    if score >= 75:
        return "s-b"
    if score >= 60:
        return "s-c"
    return "s-d"


def trend(
    points: Sequence[tuple[datetime | None, float]], *, width: int = 160, height: int = 36, label: str = ""
) -> str:
    """A sparkline of scores (0–100) as an inline SVG string; empty data gives an empty frame."""
    title = f"<title>{escape(label)}</title>" if label else ""
    frame = (
        f'<svg class="trend" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}">{title}'
    )
    if not points:
        return frame + "</svg>"
    step = (width - 4) / max(len(points) - 1, 1)
    coords = [
        (2 + i * step, 2 + (height - 4) * (1 - max(0.0, min(score, 100.0)) / 100))
        for i, (_, score) in enumerate(points)
    ]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    last_x, last_y = coords[-1]
    return (
        frame + f'<polyline fill="none" stroke="currentColor" stroke-width="1.5" points="{path}"/>'
        f'<circle cx="{last_x:.1f}" cy="{last_y:.1f}" r="2.5" fill="currentColor"/></svg>'
    )


def burn_up(
    points: Sequence[tuple[str, int, int]], *, width: int = 360, height: int = 140, label: str = ""
) -> str:
    """A burn-up chart as an inline SVG: modules meeting a target (filled) against all of them (line).

    ``points``: ``(day label, met, total)`` in order. It scales to its container (viewBox), so
    it reads on a 390 px phone as on a desktop.
    """
    pad, top = 28, 10
    if len(points) == 1:  # one day so far: a flat band across the chart, not an invisible dot
        points = [points[0], points[0]]
    total = max((t for _, _, t in points), default=0) or 1
    inner_w, inner_h = width - pad - 8, height - top - 22
    step = inner_w / max(len(points) - 1, 1)

    def xy(index: int, value: int) -> str:
        return f"{pad + index * step:.1f},{top + inner_h - inner_h * value / total:.1f}"

    met = " ".join(xy(i, m) for i, (_, m, _) in enumerate(points))
    goal = " ".join(xy(i, t) for i, (_, _, t) in enumerate(points))
    area = (
        f"{pad},{top + inner_h} {met} {pad + (len(points) - 1) * step:.1f},{top + inner_h}" if points else ""
    )
    first = escape(points[0][0]) if points else ""
    last = escape(points[-1][0]) if points else ""
    return (
        f'<svg class="burnup" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{escape(label)}"><title>{escape(label)}</title>'
        f'<line x1="{pad}" y1="{top + inner_h}" x2="{width - 8}" y2="{top + inner_h}" class="axis"/>'
        f'<text x="2" y="{top + 8}" class="tick">{total}</text>'
        f'<text x="2" y="{top + inner_h}" class="tick">0</text>'
        f'<polygon points="{area}" class="met"/><polyline points="{goal}" class="goal" fill="none"/>'
        f'<polyline points="{met}" class="met-line" fill="none"/>'
        f'<text x="{pad}" y="{height - 4}" class="tick">{first}</text>'
        f'<text x="{width - 8}" y="{height - 4}" class="tick" text-anchor="end">{last}</text></svg>'
    )
