"""Findings of one scan: filtered, paginated and counted in SQL (never all loaded into Python)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal, get_args

import sqlalchemy as sa
from sqlmodel import Session, col, func, select
from sqlmodel.sql.expression import SelectOfScalar

from governance.errors import InvalidInput, said
from governance.registry.models import Module
from governance.scans.models import Finding, FindingState, Scan, Waiver
from governance.scans.waived import WaiverIndex, waiver_index
from scanners.base import SEVERITIES as SCANNER_SEVERITIES

# The waiver index moved to governance.scans.waived (reports use it too); re-exported here.
__all__ = ["WaiverIndex", "waiver_index"]

SEVERITIES = SCANNER_SEVERITIES  # the scanners' scale: blocker, critical, major, minor, info
MAX_PAGE = 500
EXPORT_BATCH = 2000

SortKey = Literal["severity", "path", "rule", "state", "first_seen"]
SORT_KEYS: tuple[str, ...] = get_args(SortKey)


@dataclass(frozen=True)
class FindingFilter:
    """What a findings list may be narrowed by; every field optional."""

    standard: str | None = None
    severity: str | None = None
    state: str | None = None
    path: str | None = None
    new_only: bool = False
    q: str | None = None  # a substring of the message, path or rule (case-insensitive)
    sort: str = "severity"
    desc: bool = False

    def validated(self) -> FindingFilter:
        """Reject states and sort keys we do not know (unknown standards simply match nothing)."""
        if self.state and self.state not in {s.value for s in FindingState}:
            raise said(
                InvalidInput, "invalid state %(state)s: choose new, persisting or fixed", state=self.state
            )
        if self.sort not in SORT_KEYS:
            raise said(
                InvalidInput,
                "invalid sort %(sort)s: choose %(keys)s",
                sort=self.sort,
                keys=", ".join(SORT_KEYS),
            )
        return self

    def as_query(self, **override: str) -> dict[str, str]:
        """The filter as query-string parameters (pagination, sort and export links keep it)."""
        pairs = {
            "standard": self.standard,
            "severity": self.severity,
            "state": self.state,
            "path": self.path,
            "q": self.q,
            "sort": self.sort if self.sort != "severity" else None,
        }
        query = {key: value for key, value in pairs.items() if value}
        if self.new_only:
            query["new_only"] = "true"
        if self.desc:
            query["desc"] = "true"
        query.update(override)
        return {key: value for key, value in query.items() if value}

    def sorted_by(self, key: str) -> dict[str, str]:
        """The query for a column header: sort by ``key``, flipping direction if it is current."""
        flip = "true" if key == self.sort and not self.desc else ""
        return self.as_query(sort=key, desc=flip)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _contains(column: Any, pattern: str, plain_like: bool) -> sa.ColumnElement[bool]:
    """Case-insensitive substring match: SQLite's LIKE already ignores ASCII case (and is a
    third cheaper than ``lower(x) LIKE``, measured on the portal benchmark's data); PostgreSQL
    needs ILIKE. Chinese text has no case either way."""
    if plain_like:
        return column.like(pattern, escape="\\")  # type: ignore[no-any-return]
    return column.ilike(pattern, escape="\\")  # type: ignore[no-any-return]


def _filtered(
    query: SelectOfScalar[Any], scan: Scan, flt: FindingFilter, plain_like: bool = False
) -> SelectOfScalar[Any]:
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
    if flt.q:
        pattern = "%" + _escape_like(flt.q) + "%"
        columns = (Finding.message, Finding.path, Finding.rule, Finding.standard_rule)
        query = query.where(sa.or_(*(_contains(col(c), pattern, plain_like) for c in columns)))
    return query


def _shown_rule() -> sa.ColumnElement[str]:
    """The rule code a reader sees: the standards rule if bound, else the scanner's rule."""
    return func.coalesce(col(Finding.standard_rule), col(Finding.rule))


def _severity_rank() -> sa.ColumnElement[int]:
    """Blocker first: the scanners' scale as a number SQL can sort by."""
    return sa.case({sev: rank for rank, sev in enumerate(SEVERITIES)}, value=col(Finding.severity), else_=99)


def _state_rank() -> sa.ColumnElement[int]:
    order = ("new", "persisting", "fixed")
    # As text: PostgreSQL stores the state as an enum type, which does not compare with VARCHAR.
    as_text = sa.cast(col(Finding.state), sa.String)
    return sa.case({state: rank for rank, state in enumerate(order)}, value=as_text, else_=9)


def _order(flt: FindingFilter) -> list[Any]:
    """ORDER BY for the filter's sort key, then path, line and id so pages never overlap."""
    first: dict[str, Any] = {
        "severity": _severity_rank(),
        "path": col(Finding.path),
        "rule": _shown_rule(),
        "state": _state_rank(),
        "first_seen": col(Finding.first_seen_at),
    }
    key = first[flt.sort]
    tail = [col(Finding.path), col(Finding.line), col(Finding.id)]
    return [key.desc() if flt.desc else key.asc(), *tail]


def _sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def page_findings(
    session: Session, *, scan: Scan, flt: FindingFilter, limit: int = 50, offset: int = 0
) -> tuple[list[Finding], int]:
    """One page of a scan's findings matching ``flt`` and how many match in all."""
    flt = flt.validated()
    limit = max(1, min(limit, MAX_PAGE))
    plain = _sqlite(session)
    total = session.exec(_filtered(select(func.count()).select_from(Finding), scan, flt, plain)).one()
    rows = session.exec(
        _filtered(select(Finding), scan, flt, plain)
        .order_by(*_order(flt))
        .offset(max(offset, 0))
        .limit(limit)
    ).all()
    return list(rows), int(total)


def findings_table(
    session: Session, *, scan: Scan, module: Module, flt: FindingFilter, page: int, per_page: int
) -> dict[str, Any]:
    """One page of a scan's findings with what the findings table beside it reads (page count,
    waivers, export link), for every page that shows the table."""
    rows, total = page_findings(session, scan=scan, flt=flt, limit=per_page, offset=(page - 1) * per_page)
    return {
        "findings": rows,
        "total": total,
        "page": page,
        "pages": max(1, -(-total // per_page)),
        "flt": flt,
        "severities": SEVERITIES,
        "waivers": waivers_by_fingerprint(session, module_id=module.id or 0, rows=rows),
        "export_base": f"/api/v1/modules/{module.key}/findings/export?scan={scan.id}",
    }


def iter_findings(session: Session, *, scan: Scan, flt: FindingFilter) -> Iterator[Finding]:
    """Every finding matching ``flt`` in the page's order, fetched in batches (for exports)."""
    flt = flt.validated()
    query = _filtered(select(Finding), scan, flt, _sqlite(session)).order_by(*_order(flt))
    offset = 0
    while True:
        batch = session.exec(query.offset(offset).limit(EXPORT_BATCH)).all()
        yield from batch
        if len(batch) < EXPORT_BATCH:
            return
        offset += EXPORT_BATCH


def waivers_by_fingerprint(session: Session, *, module_id: int, rows: list[Finding]) -> dict[str, Waiver]:
    """The approved waiver behind each waived row of a page, keyed by fingerprint."""
    if not any(f.waived for f in rows):
        return {}
    index = waiver_index(session, module_id=module_id)
    return {f.fingerprint: w for f in rows if (w := index.behind(f)) is not None}


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
