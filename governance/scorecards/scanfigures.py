"""Scores, gate pass rate, findings opened/fixed, time to fix and tool versions from a quarter's scans.

Which scans count: complete scans of each module's **default branch** whose ``finished_at`` lies
in the quarter (up to the moment of reading while the quarter runs). For scores, a module is
represented by the **last** such scan: where it stood at the end of the quarter. A vendor's
score per standard is the **unweighted mean over its modules** (each module is one delivery the
vendor answers for; weighting by lines of code would let one large module hide the others, and
line counts are only known as of now, not as of the quarter). A standard that did not apply to a
module (score None) is left out of that standard's mean; a module without a scan in the quarter
is left out of every mean. The gate pass rate counts every counted scan, not only the last.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from statistics import mean, median

from sqlmodel import Session, col, select

from governance.evidence.models import ScanEvidence
from governance.modeltypes import row_id
from governance.registry.models import Module
from governance.scans.models import Finding, FindingState, Scan, ScanStatus, StandardResult
from governance.scans.service import on_default_branch
from governance.scorecards.periods import Period
from governance.scorecards.values import SIX, ModuleScores, Ratio, ScanFigures
from governance.timeutil import as_utc

DAY = 86400.0


def counted_scans(
    session: Session, *, module_ids: Sequence[int], start: datetime, end: datetime
) -> list[Scan]:
    """Complete default-branch scans finished in ``[start, end)``, oldest first."""
    if not module_ids:
        return []
    query = (
        select(Scan)
        .where(col(Scan.module_id).in_(module_ids), Scan.status == ScanStatus.complete, on_default_branch())
        .where(col(Scan.finished_at) >= start, col(Scan.finished_at) < end)
        .order_by(col(Scan.finished_at), col(Scan.id))
    )
    return list(session.exec(query).all())


def last_per_module(scans: Sequence[Scan]) -> dict[int, Scan]:
    """The newest scan of each module (``scans`` oldest first)."""
    return {scan.module_id: scan for scan in scans}


def _module_scores(session: Session, module: Module, scan: Scan | None) -> ModuleScores:
    if scan is None or scan.id is None:
        return ModuleScores(module.key, None, None, None, {}, None)
    results = session.exec(select(StandardResult).where(StandardResult.scan_id == scan.id)).all()
    standards = {r.standard: r.score for r in results if r.standard in SIX}
    finished = as_utc(scan.finished_at) if scan.finished_at else None
    return ModuleScores(module.key, scan.id, finished, scan.score, standards, scan.gate_passed)


def _mean(values: Sequence[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return round(mean(present), 1) if present else None


def _days_to_fix(session: Session, scans: Sequence[Scan]) -> list[float]:
    """For each fingerprint a counted scan no longer shows: days from first seen to that scan."""
    days: list[float] = []
    for scan in scans:
        if not scan.fixed_count or scan.baseline_scan_id is None or scan.finished_at is None:
            continue
        before = session.exec(
            select(Finding.fingerprint, Finding.first_seen_at).where(Finding.scan_id == scan.baseline_scan_id)
        ).all()
        now = set(session.exec(select(Finding.fingerprint).where(Finding.scan_id == scan.id)).all())
        first_seen: dict[str, datetime] = {}
        for fingerprint, seen in before:
            if fingerprint not in now:
                first_seen[fingerprint] = min(as_utc(seen), first_seen.get(fingerprint, as_utc(seen)))
        finished = as_utc(scan.finished_at)
        days.extend((finished - seen).total_seconds() / DAY for seen in first_seen.values())
    return days


def _opened(session: Session, scans: Sequence[Scan]) -> int:
    ids = [scan.id for scan in scans if scan.id is not None]
    if not ids:
        return 0
    query = select(Finding.id).where(col(Finding.scan_id).in_(ids), Finding.state == FindingState.new)
    return len(session.exec(query).all())


def _tool_versions(session: Session, scan_ids: Sequence[int]) -> dict[str, tuple[str, ...]]:
    """Each tool's versions in force in the counted last scans (more than one when modules differ)."""
    seen: dict[str, set[str]] = {}
    if scan_ids:
        for record in session.exec(select(ScanEvidence).where(col(ScanEvidence.scan_id).in_(scan_ids))).all():
            for tool, version in (record.tool_versions.get("versions") or {}).items():
                seen.setdefault(str(tool), set()).add(str(version))
    return {tool: tuple(sorted(versions)) for tool, versions in sorted(seen.items())}


def _ids(modules: Sequence[Module]) -> list[int]:
    return [row_id(m) for m in modules]


def _scored(rows: Sequence[ModuleScores]) -> list[ModuleScores]:
    return [r for r in rows if r.scan_id is not None]


def _scores(rows: Sequence[ModuleScores]) -> dict[str, float | None]:
    return {standard: _mean([r.standards.get(standard) for r in rows]) for standard in SIX}


def _gate(scans: Sequence[Scan]) -> Ratio:
    judged = [s.gate_passed for s in scans if s.gate_passed is not None]
    return Ratio(judged.count(True), len(judged))


def _median_days(days: Sequence[float]) -> float | None:
    return round(median(days), 1) if days else None


def scan_figures(
    session: Session, *, modules: Sequence[Module], period: Period, until: datetime
) -> ScanFigures:
    """The scan side of one vendor's card for ``period`` as known at ``until``."""
    scans = counted_scans(session, module_ids=_ids(modules), start=period.start, end=min(period.end, until))
    last = last_per_module(scans)
    rows = tuple(_module_scores(session, m, last.get(row_id(m))) for m in modules)
    scored = _scored(rows)
    return ScanFigures(
        modules=rows,
        scores=_scores(scored),
        overall=_mean([r.score for r in scored]),
        scans=len(scans),
        gate=_gate(scans),
        findings_opened=_opened(session, scans),
        findings_fixed=sum(s.fixed_count for s in scans),
        median_days_to_fix=_median_days(_days_to_fix(session, scans)),
        tool_versions=_tool_versions(session, [s.id for s in last.values() if s.id is not None]),
    )
