"""The frozen values a scorecard is made of: figures per vendor and quarter, rank, change.

Every face (CLI, API, pages, documents) shows these values; none recomputes a figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

#: The six standards a scorecard scores, in the order they are presented.
SIX: tuple[str, ...] = ("design", "requirements", "development", "testing", "operations", "data")


@dataclass(frozen=True)
class Ratio:
    """``part`` of ``whole``; no ``whole`` is *n/a* (``value`` None), never 100 %."""

    part: int
    whole: int

    @property
    def value(self) -> float | None:
        return None if self.whole == 0 else self.part / self.whole

    @property
    def percent(self) -> float | None:
        value = self.value
        return None if value is None else round(100 * value, 1)


@dataclass(frozen=True)
class ModuleScores:
    """The one scan that counts for a module in a quarter: its last complete default-branch scan."""

    module: str
    scan_id: int | None
    scanned_at: datetime | None
    score: float | None
    standards: dict[str, float | None]
    gate_passed: bool | None


@dataclass(frozen=True)
class ScanFigures:
    """What the default-branch scans of a vendor's modules say about the quarter."""

    modules: tuple[ModuleScores, ...]
    scores: dict[str, float | None]
    overall: float | None
    scans: int
    gate: Ratio
    findings_opened: int
    findings_fixed: int
    median_days_to_fix: float | None
    tool_versions: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class DeliveryFigures:
    """Requirements delivered (approved → verified) and rectification tickets kept to their due date."""

    delivered: int
    open_at_end: int
    median_days_to_deliver: float | None
    sla: Ratio

    @property
    def delivery(self) -> Ratio:
        return Ratio(self.delivered, self.delivered + self.open_at_end)


@dataclass(frozen=True)
class MirrorFigures:
    """Mirror freshness (the stalest mirrored module) and refused pushes in the quarter."""

    mirrored: int
    stalest_hours: float | None
    never_synced: tuple[str, ...]
    push_refusals: int


@dataclass(frozen=True)
class VendorFigures:
    vendor: str
    scans: ScanFigures
    delivery: DeliveryFigures
    mirrors: MirrorFigures


@dataclass(frozen=True)
class Standing:
    """A vendor's place in a quarter: composite (0–100), rank (1 = best; None: not ranked)."""

    composite: float | None
    rank: int | None


@dataclass(frozen=True)
class Change:
    """This quarter minus the previous one (rank: positive = moved up); None where either is n/a."""

    composite: float | None
    rank: int | None
    overall: float | None
    gate_rate: float | None
    findings_opened: int | None
    findings_fixed: int | None


@dataclass(frozen=True)
class Scorecard:
    quarter: str
    figures: VendorFigures
    standing: Standing
    previous: Standing | None
    change: Change

    @property
    def vendor(self) -> str:
        return self.figures.vendor


@dataclass(frozen=True)
class ScorecardBoard:
    """The cards one reader may see: a vendor sees only its own card, with its rank and the count."""

    quarter: str
    start: datetime
    end: datetime
    as_of: datetime
    vendor_count: int
    cards: tuple[Scorecard, ...] = field(default_factory=tuple)

    @property
    def final(self) -> bool:
        """True once the quarter is over (its figures no longer move)."""
        return self.as_of >= self.end
