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
