"""Whether a module meets a campaign's target, from its default-branch scans, on any day.

One read of the modules' complete scans (and, per goal, their standard levels or counts of
findings at the severity) answers every day of a burn-up: for each day, each module's
latest scan finished by the end of that day decides.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session, col, func, not_, select

from governance.campaigns.models import Campaign, CampaignGoal
from governance.registry.models import Module
from governance.scans.models import Finding, Scan, ScanStatus, StandardResult
from governance.timeutil import as_utc
from standards.schema import SEVERITY_ORDER


@dataclass(frozen=True, slots=True)
class Measure:
    """One module's state under the target after one scan: ``value`` is a level or an open count."""

    scan_id: int
    finished: datetime
    value: str
    met: bool


@dataclass(frozen=True)
class BurnPoint:
    day: date
    met: int
    total: int


def _met(campaign: Campaign, value: str | None) -> bool:
    if value is None:
        return False
    if campaign.goal == CampaignGoal.level:
        return value <= (campaign.level or "A")  # A is best: "B or better" is A or B
    return value == "0"


def _scans(session: Session, modules: Sequence[Module]) -> list[Scan]:
    branches = {m.id: m.default_branch for m in modules}
    rows = session.exec(
        select(Scan)
        .where(col(Scan.module_id).in_(list(branches)), Scan.status == ScanStatus.complete)
        .order_by(col(Scan.finished_at), col(Scan.id))
    ).all()
    return [s for s in rows if (s.branch or branches[s.module_id]) == branches[s.module_id] and s.finished_at]


def _values(session: Session, campaign: Campaign, scans: list[Scan]) -> dict[int, str | None]:
    """scan id -> the measured value: the level (overall or of the standard), or the open count."""
    ids = [s.id for s in scans if s.id is not None]
    if not ids:
        return {}
    if campaign.goal != CampaignGoal.level:
        return _open_counts(session, ids, campaign.severity or "critical")
    if campaign.standard is None:
        return {s.id or 0: s.level for s in scans}
    rows = session.exec(
        select(StandardResult.scan_id, StandardResult.level).where(
            col(StandardResult.scan_id).in_(ids), StandardResult.standard == campaign.standard
        )
    ).all()
    return {scan_id: level for scan_id, level in rows}


def _open_counts(session: Session, ids: list[int], severity: str) -> dict[int, str | None]:
    """Unwaived findings at ``severity`` or worse, per scan."""
    floor = SEVERITY_ORDER[severity]
    severities = [s for s, rank in SEVERITY_ORDER.items() if rank >= floor]
    counts = dict(
        session.exec(
            select(Finding.scan_id, func.count())
            .where(
                col(Finding.scan_id).in_(ids),
                col(Finding.severity).in_(severities),
                not_(col(Finding.waived)),
            )
            .group_by(col(Finding.scan_id))
        ).all()
    )
    return {scan_id: str(counts.get(scan_id, 0)) for scan_id in ids}


def history(session: Session, campaign: Campaign, modules: Sequence[Module]) -> dict[int, list[Measure]]:
    """module id -> its measures after each complete default-branch scan, oldest first."""
    scans = _scans(session, modules)
    values = _values(session, campaign, scans)
    out: dict[int, list[Measure]] = {m.id or 0: [] for m in modules}
    for scan in scans:
        value = values.get(scan.id or 0)
        finished = as_utc(scan.finished_at) if scan.finished_at else datetime.min.replace(tzinfo=UTC)
        out[scan.module_id].append(Measure(scan.id or 0, finished, value or "-", _met(campaign, value)))
    return out


def as_of(measures: list[Measure], moment: datetime) -> Measure | None:
    """The module's measure after its latest scan finished by ``moment``."""
    found = None
    for measure in measures:
        if measure.finished > moment:
            break
        found = measure
    return found


def days(start: date, end: date) -> list[date]:
    """Burn-up points: daily up to 60 days, weekly beyond (the end day always included)."""
    if end < start:
        return [start]
    step = 1 if (end - start).days <= 60 else 7
    points = [start + timedelta(days=n) for n in range(0, (end - start).days + 1, step)]
    return points if points[-1] == end else [*points, end]


def burn_up(by_module: dict[int, list[Measure]], start: date, end: date) -> list[BurnPoint]:
    """Modules meeting the target at the end of each point's day."""
    out = []
    for day in days(start, end):
        moment = datetime.combine(day, time(23, 59, 59), tzinfo=UTC)
        found = [as_of(m, moment) for m in by_module.values()]
        out.append(BurnPoint(day, sum(1 for f in found if f is not None and f.met), len(by_module)))
    return out
