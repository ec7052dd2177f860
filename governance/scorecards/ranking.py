"""The ranking among vendors: one composite figure per vendor and quarter, documented here.

``composite`` (0–100) is the weighted mean of the components a vendor has:

=====================  ======  ==============================================
component              weight  value
=====================  ======  ==============================================
overall score          0.40    mean of its modules' last-scan scores (0–100)
gate pass rate         0.30    passed / judged default-branch scans × 100
requirement delivery   0.15    delivered / (delivered + open at end) × 100
rectification SLA      0.15    closed by due date / due × 100
=====================  ======  ==============================================

An *n/a* component (no tickets due, no requirement in play) is left out and the remaining
weights are scaled back to 1, so a vendor is neither rewarded nor punished for what did not
happen. A vendor with no scan in the quarter has no score and is **not ranked**. Ranks are
1 = best; equal composites (to one decimal) share a rank and the next rank is skipped (1, 1, 3).
"""

from __future__ import annotations

from collections.abc import Mapping

from governance.scorecards.values import VendorFigures

WEIGHTS: dict[str, float] = {"overall": 0.40, "gate": 0.30, "delivery": 0.15, "sla": 0.15}


def components(figures: VendorFigures) -> dict[str, float | None]:
    """Each component on a 0–100 scale, or None when n/a."""
    return {
        "overall": figures.scans.overall,
        "gate": figures.scans.gate.percent,
        "delivery": figures.delivery.delivery.percent,
        "sla": figures.delivery.sla.percent,
    }


def composite(figures: VendorFigures) -> float | None:
    """The weighted mean of the available components; None (not ranked) without a score."""
    parts = components(figures)
    if parts["overall"] is None:
        return None
    present = {name: value for name, value in parts.items() if value is not None}
    weight = sum(WEIGHTS[name] for name in present)
    return round(sum(WEIGHTS[name] * value for name, value in present.items()) / weight, 1)


def ranks(composites: Mapping[str, float | None]) -> dict[str, int | None]:
    """Competition ranking (1, 1, 3) of the ranked vendors; None for the unranked."""
    ranked = sorted((value, name) for name, value in composites.items() if value is not None)
    ranked.sort(key=lambda pair: (-pair[0], pair[1]))
    result: dict[str, int | None] = {name: None for name in composites}
    previous: float | None = None
    place = 0
    for position, (value, name) in enumerate(ranked, start=1):
        if value != previous:
            place, previous = position, value
        result[name] = place
    return result
