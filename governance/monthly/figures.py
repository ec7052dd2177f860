"""The month's figures, computed once when the report is generated.

- **scans / new / fixed**: complete default-branch scans finished in the month (the same scans a
  scorecard counts: :func:`governance.scorecards.scanfigures.counted_scans`), their findings
  in state ``new`` and their fixed counts.
- **gate changes**: per module, the verdict of its last default-branch scan before the month
  against that of its last one by the month's end: pass → fail and fail → pass (net change over
  the month; a module with no scan before the month has no "before" and is not a change).
- **requirements delivered**: entered the verified group during the month (as on scorecards).
- **lines under governance**: the mirrors' line counts of the modules registered by the month's
  end, as known when the report is generated (on the 1st); the change is against the previous
  month's stored report.
- **waivers**: granted = approved during the month (still in force or revoked since); expired =
  an approved waiver's expiry fell in the month and it was not revoked before.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session, col, func, select

from governance.monthly.models import MonthlyReport
from governance.monthly.values import ModuleMonth, MonthlySummary
from governance.registry.models import Module, Vendor
from governance.requirements.models import Requirement, RequirementTransition
from governance.requirements.workflow import VERIFIED_OR_LATER
from governance.scans.models import Finding, FindingState, Scan, ScanStatus, Waiver, WaiverState
from governance.scans.service import on_default_branch
from governance.scorecards.periods import Period, previous_month
from governance.scorecards.scanfigures import counted_scans
from governance.timeutil import as_utc

_VERIFIED = [s.value for s in VERIFIED_OR_LATER]


def _gate_at(session: Session, module_id: int, before: datetime) -> bool | None:
    scan = session.exec(
        select(Scan)
        .where(Scan.module_id == module_id, Scan.status == ScanStatus.complete, on_default_branch())
        .where(col(Scan.finished_at) < before)
        .order_by(col(Scan.finished_at).desc(), col(Scan.id).desc())
    ).first()
    return scan.gate_passed if scan else None


def _new_findings(session: Session, scans: Sequence[Scan]) -> int:
    ids = [s.id for s in scans if s.id is not None]
    if not ids:
        return 0
    query = select(func.count()).where(col(Finding.scan_id).in_(ids), Finding.state == FindingState.new)
    return int(session.exec(query).one())


def _module_month(session: Session, module: Module, vendor: str, period: Period) -> ModuleMonth:
    module_id = module.id or 0
    scans = counted_scans(session, module_ids=[module_id], start=period.start, end=period.end)
    return ModuleMonth(
        module=module.key,
        vendor=vendor,
        scans=len(scans),
        findings_new=_new_findings(session, scans),
        findings_fixed=sum(s.fixed_count for s in scans),
        gate_before=_gate_at(session, module_id, period.start),
        gate_after=_gate_at(session, module_id, period.end),
        lines_of_code=module.lines_of_code,
    )


def _delivered(session: Session, period: Period) -> tuple[str, ...]:
    query = (
        select(Requirement.key)
        .join(RequirementTransition, col(RequirementTransition.requirement_id) == Requirement.id)
        .where(col(RequirementTransition.to_status).in_(_VERIFIED))
        .where(
            col(RequirementTransition.from_status).is_(None)
            | col(RequirementTransition.from_status).not_in(_VERIFIED)
        )
        .where(col(RequirementTransition.at) >= period.start, col(RequirementTransition.at) < period.end)
    )
    return tuple(sorted(set(session.exec(query).all())))


def _waivers(session: Session, period: Period) -> tuple[int, int]:
    rows = session.exec(
        select(Waiver).where(col(Waiver.state).in_([WaiverState.approved, WaiverState.revoked]))
    ).all()
    granted = sum(1 for w in rows if w.decided_at and period.contains(as_utc(w.decided_at)))
    expired = sum(
        1
        for w in rows
        if w.expires_at
        and period.contains(as_utc(w.expires_at))
        and (w.revoked_at is None or as_utc(w.revoked_at) > as_utc(w.expires_at))
    )
    return granted, expired


def _previous_lines(session: Session, period: Period) -> int | None:
    before = session.exec(
        select(MonthlyReport).where(MonthlyReport.month == previous_month(period).label)
    ).first()
    value = before.summary.get("lines_of_code") if before else None
    return int(value) if isinstance(value, int) else None


def _changed(modules: Sequence[ModuleMonth], *, before: bool) -> tuple[str, ...]:
    """Modules whose gate went from ``before`` at the month's start to its opposite at the end."""
    return tuple(m.module for m in modules if m.gate_before is before and m.gate_after is (not before))


def month_summary(session: Session, *, period: Period) -> MonthlySummary:
    """Every module's month, and the portfolio's totals."""
    rows = session.exec(
        select(Module, Vendor)
        .join(Vendor, col(Vendor.id) == Module.vendor_id)
        .where(col(Module.created_at) < period.end)
        .order_by(col(Module.key))
    ).all()
    modules = tuple(_module_month(session, module, vendor.name, period) for module, vendor in rows)
    granted, expired = _waivers(session, period)
    lines = sum(m.lines_of_code for m in modules)
    previous = _previous_lines(session, period)
    return MonthlySummary(
        month=period.label,
        start=period.start,
        end=period.end,
        scans=sum(m.scans for m in modules),
        findings_new=sum(m.findings_new for m in modules),
        findings_fixed=sum(m.findings_fixed for m in modules),
        gate_to_fail=_changed(modules, before=True),
        gate_to_pass=_changed(modules, before=False),
        requirements_delivered=_delivered(session, period),
        lines_of_code=lines,
        lines_change=None if previous is None else lines - previous,
        waivers_granted=granted,
        waivers_expired=expired,
        modules=modules,
    )
