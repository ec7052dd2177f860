"""Scorecards per vendor and quarter: figures, standing and change, scoped to the reader.

Figures are computed from what the database holds (scans, findings, requirement transitions,
tickets, audit events) for the quarter as known at ``now``: a running quarter's card moves
until the quarter ends, an ended quarter's card is final. A vendor reader gets only its own
card, with its own rank and the number of vendors on the board, never another vendor's figure.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from governance import access, audit
from governance.errors import NotFound, said
from governance.registry.models import Module, User, Vendor
from governance.scorecards.activity import delivery_figures, mirror_figures
from governance.scorecards.periods import Period, parse_quarter, previous_quarter
from governance.scorecards.ranking import composite, ranks
from governance.scorecards.scanfigures import scan_figures
from governance.scorecards.values import Change, Scorecard, ScorecardBoard, Standing, VendorFigures


def vendor_figures(session: Session, *, vendor: Vendor, period: Period, now: datetime) -> VendorFigures:
    """Every figure of one vendor's card (modules registered before the quarter ended)."""
    modules = list(
        session.exec(
            select(Module)
            .where(Module.vendor_id == vendor.id, col(Module.created_at) < period.end)
            .order_by(col(Module.key))
        ).all()
    )
    return VendorFigures(
        vendor=vendor.name,
        scans=scan_figures(session, modules=modules, period=period, until=now),
        delivery=delivery_figures(
            session, vendor_id=vendor.id or 0, modules=modules, period=period, until=now
        ),
        mirrors=mirror_figures(session, modules=modules, period=period, until=now),
    )


def _board_vendors(session: Session, period: Period) -> list[Vendor]:
    """Vendors with at least one module registered before the quarter ended."""
    having = select(Module.vendor_id).where(col(Module.created_at) < period.end)
    return list(
        session.exec(select(Vendor).where(col(Vendor.id).in_(having)).order_by(col(Vendor.name))).all()
    )


def standings(
    session: Session, *, period: Period, now: datetime
) -> tuple[list[VendorFigures], dict[str, Standing]]:
    """Figures of every vendor on the board and each one's standing (unscoped: callers scope)."""
    figures = [
        vendor_figures(session, vendor=v, period=period, now=now) for v in _board_vendors(session, period)
    ]
    composites = {f.vendor: composite(f) for f in figures}
    placed = ranks(composites)
    return figures, {name: Standing(composites[name], placed[name]) for name in composites}


def _minus(now: float | None, before: float | None) -> float | None:
    return None if now is None or before is None else round(now - before, 1)


def _change(
    figures: VendorFigures, standing: Standing, previous: Standing | None, before: VendorFigures | None
) -> Change:
    if previous is None or before is None:
        return Change(None, None, None, None, None, None)
    rank = None if standing.rank is None or previous.rank is None else previous.rank - standing.rank
    return Change(
        composite=_minus(standing.composite, previous.composite),
        rank=rank,
        overall=_minus(figures.scans.overall, before.scans.overall),
        gate_rate=_minus(figures.scans.gate.percent, before.scans.gate.percent),
        findings_opened=figures.scans.findings_opened - before.scans.findings_opened,
        findings_fixed=figures.scans.findings_fixed - before.scans.findings_fixed,
    )


def _visible(session: Session, user: User, vendor: str | None) -> set[str]:
    """Names of the vendors whose cards ``user`` may read (and asked for)."""
    names = set(session.exec(access.scope_vendors(select(Vendor.name), user)).all())
    if vendor is None:
        return names
    if vendor not in names:
        raise said(NotFound, "unknown vendor '%(name)s'", name=vendor)
    return {vendor}


def scorecard_board(
    session: Session, *, user: User, quarter: str, now: datetime, vendor: str | None = None
) -> ScorecardBoard:
    """The quarter's board as ``user`` may see it (``vendor``: that card only), in rank order."""
    period = parse_quarter(quarter)
    wanted = _visible(session, user, vendor)
    figures, standing = standings(session, period=period, now=now)
    before_figures, before_standing = standings(session, period=previous_quarter(period), now=now)
    before = {f.vendor: f for f in before_figures}
    cards = [
        Scorecard(
            quarter=period.label,
            figures=f,
            standing=standing[f.vendor],
            previous=before_standing.get(f.vendor),
            change=_change(f, standing[f.vendor], before_standing.get(f.vendor), before.get(f.vendor)),
        )
        for f in figures
        if f.vendor in wanted
    ]
    cards.sort(key=lambda c: (c.standing.rank is None, c.standing.rank or 0, c.vendor))
    return ScorecardBoard(period.label, period.start, period.end, now, len(figures), tuple(cards))


def record_scorecard(
    session: Session, *, user: User, board: ScorecardBoard, fmt: str, lang: str, via: str
) -> None:
    """One audit event per generated or downloaded scorecard (who, which quarter, whose cards)."""
    audit.record(
        session,
        actor=user.name,
        action="report.scorecard",
        target_type="scorecard",
        target_id=board.quarter,
        data={"vendors": [c.vendor for c in board.cards], "format": fmt, "lang": lang, "via": via},
    )
