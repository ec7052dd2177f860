"""Findings of one scan: filtered, paginated and counted in SQL (never all loaded into Python)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, func, select
from sqlmodel.sql.expression import SelectOfScalar

from governance.errors import InvalidInput
from governance.scans.models import Finding, FindingState, Scan
from scanners.base import SEVERITIES as SCANNER_SEVERITIES

SEVERITIES = SCANNER_SEVERITIES  # the scanners' scale: blocker, critical, major, minor, info
MAX_PAGE = 500


@dataclass(frozen=True)
class FindingFilter:
    """What a findings list may be narrowed by; every field optional."""

    standard: str | None = None
    severity: str | None = None
    state: str | None = None
    path: str | None = None
    new_only: bool = False

    def validated(self) -> FindingFilter:
        """Reject states we do not know (others simply match nothing)."""
        if self.state and self.state not in {s.value for s in FindingState}:
            raise InvalidInput(f"invalid state {self.state!r}: choose new, persisting or fixed")
        return self

    def as_query(self) -> dict[str, str]:
        """The filter as query-string parameters (for pagination links)."""
        pairs = {"standard": self.standard, "severity": self.severity, "state": self.state, "path": self.path}
        query = {key: value for key, value in pairs.items() if value}
        if self.new_only:
            query["new_only"] = "true"
        return query


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _filtered(query: SelectOfScalar[Any], scan: Scan, flt: FindingFilter) -> SelectOfScalar[Any]:
    query = query.where(Finding.scan_id == scan.id)
    if flt.standard:
        query = query.where(Finding.standard == flt.standard)
    if flt.severity:
        query = query.where(Finding.severity == flt.severity)
    if flt.new_only:
        query = query.where(Finding.state == FindingState.new)
    elif flt.state:
        query = query.where(Finding.state == flt.state)
    if flt.path:
        query = query.where(col(Finding.path).like(_escape_like(flt.path) + "%", escape="\\"))
    return query


def page_findings(
    session: Session, *, scan: Scan, flt: FindingFilter, limit: int = 50, offset: int = 0
) -> tuple[list[Finding], int]:
    """One page of a scan's findings matching ``flt`` and how many match in all."""
    flt = flt.validated()
    limit = max(1, min(limit, MAX_PAGE))
    total = session.exec(_filtered(select(func.count()).select_from(Finding), scan, flt)).one()
    rows = session.exec(
        _filtered(select(Finding), scan, flt).order_by(col(Finding.id)).offset(max(offset, 0)).limit(limit)
    ).all()
    return list(rows), int(total)


def open_by_severity(session: Session, *, scan_ids: list[int]) -> dict[str, int]:
    """Open (not fixed, not waived) findings of the given scans, counted per severity in SQL."""
    if not scan_ids:
        return {}
    rows = session.exec(
        select(Finding.severity, func.count())
        .where(
            col(Finding.scan_id).in_(scan_ids),
            Finding.state != FindingState.fixed,
            sa.not_(col(Finding.waived)),
        )
        .group_by(col(Finding.severity))
    ).all()
    return {severity: int(count) for severity, count in rows}


def readable_finding(session: Session, *, scan: Scan, finding_id: int) -> Finding | None:
    """A finding of ``scan`` (callers have already checked the scan is readable)."""
    finding = session.get(Finding, finding_id)
    return finding if finding is not None and finding.scan_id == scan.id else None
