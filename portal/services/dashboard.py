"""The dashboard's figures, heat map and trends, all scoped to what the user may read."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, col, func, select

from governance import access
from governance.registry.models import Module, User, Vendor
from governance.requirements.models import Requirement
from governance.scans.models import Scan, ScanStatus, StandardResult
from governance.scans.service import on_default_branch
from governance.tickets.models import ACTIVE_STATES, Ticket
from portal.services import findings as findings_service
from portal.services import scans as scans_service
from portal.services.cache import ScanAggregates


@dataclass
class ModuleRow:
    """One module's line in the heat map."""

    module: Module
    scan: Scan | None
    results: dict[str, StandardResult]
    trend: list[tuple[datetime | None, float]] = field(default_factory=list)

    @property
    def movement(self) -> float | None:
        """Latest score minus the previous one (negative = getting worse)."""
        if len(self.trend) < 2:
            return None
        return round(self.trend[-1][1] - self.trend[-2][1], 1)


@dataclass
class Dashboard:
    """Everything the dashboard shows."""

    modules: int
    vendors: int
    requirements: int
    lines_of_code: int
    open_by_severity: dict[str, int]
    gate_failures: int
    open_tickets: int
    rows: list[ModuleRow]

    @property
    def worst_moving(self) -> list[ModuleRow]:
        moving = [row for row in self.rows if row.movement is not None and row.movement < 0]
        return sorted(moving, key=lambda row: row.movement or 0.0)[:5]


def _count(session: Session, query: object) -> int:
    return int(session.exec(query).one() or 0)  # type: ignore[call-overload]


def _trends(
    session: Session, module_ids: list[int], points: int
) -> dict[int, list[tuple[datetime | None, float]]]:
    """The last ``points`` scores of each module in one query (a window function, on both databases)."""
    if not module_ids:
        return {}
    ranked = (
        select(  # type: ignore[call-overload]
            col(Scan.module_id),
            col(Scan.id),
            col(Scan.finished_at),
            col(Scan.score),
            func.row_number()
            .over(partition_by=col(Scan.module_id), order_by=col(Scan.id).desc())
            .label("rank"),
        )
        .where(
            col(Scan.module_id).in_(module_ids),
            Scan.status == ScanStatus.complete,
            col(Scan.score).is_not(None),
            on_default_branch(),
        )
        .subquery()
    )
    rows = session.exec(
        select(ranked.c.module_id, ranked.c.finished_at, ranked.c.score)
        .where(ranked.c.rank <= points)
        .order_by(ranked.c.module_id, ranked.c.id)
    ).all()
    trends: dict[int, list[tuple[datetime | None, float]]] = {}
    for module_id, finished, score in rows:
        trends.setdefault(module_id, []).append((finished, float(score)))
    return trends


def _rows(session: Session, modules: list[Module], latest: dict[int, Scan], points: int) -> list[ModuleRow]:
    scan_ids = [scan.id for scan in latest.values() if scan.id is not None]
    results = scans_service.standard_results(session, scan_ids=scan_ids)
    trends = _trends(session, [module.id for module in modules if module.id is not None], points)
    rows = []
    for module in modules:
        scan = latest.get(module.id or 0)
        rows.append(
            ModuleRow(
                module=module,
                scan=scan,
                results=results.get(scan.id or 0, {}) if scan else {},
                trend=trends.get(module.id or 0, []),
            )
        )
    return rows


def _severities(session: Session, latest: dict[int, Scan], cache: ScanAggregates) -> dict[str, int]:
    totals: dict[str, int] = {}
    for scan in latest.values():
        counts = cache.get_or_compute(
            scan.id or 0, lambda sid: findings_service.open_by_severity(session, scan_ids=[sid])
        )
        for name, count in counts.items():
            totals[name] = totals.get(name, 0) + count
    return totals


def _requirements(session: Session, ids: list[int]) -> int:
    if not ids:
        return 0
    return _count(
        session, select(func.count()).select_from(Requirement).where(col(Requirement.module_id).in_(ids))
    )


def _open_tickets(session: Session, ids: list[int]) -> int:
    if not ids:
        return 0
    return _count(
        session,
        select(func.count())
        .select_from(Ticket)
        .where(col(Ticket.module_id).in_(ids), col(Ticket.state).in_([s.value for s in ACTIVE_STATES])),
    )


def build(session: Session, *, user: User, cache: ScanAggregates, trend_points: int = 20) -> Dashboard:
    """Figures under governance for ``user``; per-scan counts come from the aggregate cache."""
    modules = access.visible_modules(session, user)
    ids = [module.id for module in modules if module.id is not None]
    latest = scans_service.latest_scans(session, module_ids=ids)
    return Dashboard(
        modules=len(modules),
        vendors=_count(session, access.scope_vendors(select(func.count()).select_from(Vendor), user)),
        requirements=_requirements(session, ids),
        lines_of_code=sum(module.lines_of_code for module in modules),
        open_by_severity=_severities(session, latest, cache),
        gate_failures=sum(1 for scan in latest.values() if scan.gate_passed is False),
        open_tickets=_open_tickets(session, ids),
        rows=_rows(session, modules, latest, trend_points),
    )
