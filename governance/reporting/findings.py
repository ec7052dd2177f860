"""Findings for reports: the most severe few for pages, and every one as a stream.

The stream reads each scan's findings by keyset pagination on the primary key (batches of
:data:`STREAM_BATCH` rows, plain rows rather than ORM objects) in a session of its own, so a
download can outlive the request that built the report and memory stays flat at any size.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from governance.reporting.queries import SessionFactory
from governance.reporting.values import FindingRow, FindingStream
from governance.scans.models import Finding, FindingState, Scan
from governance.scans.waived import WaiverIndex, waiver_index
from scanners.base import SEVERITIES

STREAM_BATCH = 5000
_FINDING = Finding.__table__  # type: ignore[attr-defined]  # SQLModel tables carry __table__


def _severity_rank() -> sa.ColumnElement[int]:
    return sa.case({name: rank for rank, name in enumerate(SEVERITIES)}, value=_FINDING.c.severity, else_=9)


#: The columns a row is read with, in :func:`_row`'s order (plain tuples: no ORM, no attribute lookups).
_COLUMNS = tuple(
    _FINDING.c[name]
    for name in (
        "module_id", "scan_id", "rule", "standard_rule", "standard", "tool", "severity", "path", "line",
        "end_line", "message", "fingerprint", "state", "first_seen_at", "waived", "message_wording", "id",
    )
)  # fmt: skip


def _row(record: Sequence[Any], keys: Mapping[int, str], index: Mapping[int, WaiverIndex]) -> FindingRow:
    """One row as a value; the hot path of a million-finding download (positional on purpose)."""
    (
        module_id,
        scan_id,
        rule,
        standard_rule,
        standard,
        tool,
        severity,
        path,
        line,
        end_line,
        message,
        *rest,
    ) = record
    fingerprint, state, first_seen, waived, wording, _ = rest
    head = (
        keys[module_id],
        scan_id,
        rule,
        standard_rule,
        standard,
        tool,
        severity,
        path,
        line,
        end_line,
        message,
    )
    if not waived:
        return FindingRow(*head, fingerprint, str(state), first_seen, False, None, None, None, None, wording)
    waiver = index[module_id].lookup(fingerprint, standard_rule, rule)
    if waiver is None:
        return FindingRow(*head, fingerprint, str(state), first_seen, True, None, None, None, None, wording)
    by = waiver.approver or waiver.requested_by
    return FindingRow(
        *head,
        fingerprint,
        str(state),
        first_seen,
        True,
        waiver.kind.value,
        by,
        waiver.reason,
        waiver.expires_at,
        wording,
    )


def _base(scan_ids: Sequence[int]) -> sa.Select[Any]:
    return sa.select(*_COLUMNS).where(_FINDING.c.scan_id.in_(list(scan_ids)))


def top_findings(
    session: Session, *, scans: Mapping[int, Scan], keys: Mapping[int, str], limit: int
) -> list[FindingRow]:
    """The ``limit`` most severe open findings of the scans (``scans``: module id → scan)."""
    if not scans:
        return []
    ids = [scan.id or 0 for scan in scans.values()]
    query = (
        _base(ids)
        .where(_FINDING.c.state != FindingState.fixed.value, sa.not_(_FINDING.c.waived))
        .order_by(_severity_rank(), _FINDING.c.path, _FINDING.c.line, _FINDING.c.id)
        .limit(limit)
    )
    index = {module_id: waiver_index(session, module_id=module_id) for module_id in scans}
    return [_row(record, keys, index) for record in session.connection().execute(query)]


def finding_stream(
    session: Session, factory: SessionFactory, *, scans: Mapping[int, Scan], keys: Mapping[int, str]
) -> FindingStream:
    """Every finding of the scans (module by module, in id order), read in batches when iterated."""
    ids = sorted(scan.id or 0 for scan in scans.values())
    count = (
        session.exec(select(func.count()).select_from(Finding).where(col(Finding.scan_id).in_(ids))).one()
        if ids
        else 0
    )
    rule_ids = (
        tuple(session.exec(select(Finding.rule).where(col(Finding.scan_id).in_(ids)).distinct()).all())
        if ids
        else ()
    )
    order = {scan.id: keys[module_id] for module_id, scan in scans.items()}
    ordered = sorted(ids, key=lambda scan_id: order[scan_id])

    def rows() -> Iterator[FindingRow]:
        with factory() as reader:
            index = {module_id: waiver_index(reader, module_id=module_id) for module_id in scans}
            for scan_id in ordered:
                yield from _scan_rows(reader, scan_id, keys, index)

    return FindingStream(int(count), rows, rule_ids)


def _scan_rows(
    reader: Session, scan_id: int, keys: Mapping[int, str], index: Mapping[int, WaiverIndex]
) -> Iterator[FindingRow]:
    """One scan's findings by keyset pagination on the primary key (constant memory)."""
    after = 0
    while True:
        query = _base([scan_id]).where(_FINDING.c.id > after).order_by(_FINDING.c.id).limit(STREAM_BATCH)
        batch = reader.connection().execute(query).all()
        for record in batch:
            yield _row(record, keys, index)
        if len(batch) < STREAM_BATCH:
            return
        after = batch[-1][-1]  # the id, last of _COLUMNS
