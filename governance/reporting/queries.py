"""The reads behind reports: aggregates in SQL, findings streamed, never a million ORM objects.

Every function takes module or scan ids the caller has already scoped to the reader
(:mod:`governance.access`); none decides visibility itself.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import fields
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from governance.registry.models import Module
from governance.reporting.values import (
    RuleRow,
    ScanHeader,
    ScanSummary,
    StandardRow,
    Verdict,
    WaiverRow,
)
from governance.scans.models import (
    Finding,
    FindingState,
    Scan,
    ScanStatus,
    StandardResult,
    Waiver,
    WaiverState,
)
from governance.scans.service import on_default_branch
from standards.results import GateCondition

SessionFactory = Callable[[], AbstractContextManager[Session]]
_CONDITION_FIELDS = frozenset(f.name for f in fields(GateCondition))


def latest_scans(session: Session, *, module_ids: Sequence[int]) -> dict[int, Scan]:
    """The newest complete scan of each module's default branch (one query)."""
    if not module_ids:
        return {}
    newest = (
        select(func.max(Scan.id))
        .where(col(Scan.module_id).in_(module_ids), Scan.status == ScanStatus.complete, on_default_branch())
        .group_by(col(Scan.module_id))
    )
    return {scan.module_id: scan for scan in session.exec(select(Scan).where(col(Scan.id).in_(newest))).all()}


def history(session: Session, *, module: Module, limit: int = 60) -> list[Scan]:
    """The module's last ``limit`` complete scans of its default branch, oldest first."""
    rows = session.exec(
        select(Scan)
        .where(Scan.module_id == module.id, Scan.status == ScanStatus.complete, on_default_branch())
        .order_by(col(Scan.id).desc())
        .limit(limit)
    ).all()
    return list(reversed(rows))


def verdict(scan: Scan) -> Verdict:
    """The scan's gate as stored: pass/fail and its conditions."""
    stored = (scan.gate or {}).get("conditions", [])
    conditions = tuple(
        GateCondition(**{k: v for k, v in entry.items() if k in _CONDITION_FIELDS}) for entry in stored
    )
    return Verdict(scan.gate_passed, scan.new_gate_passed, scan.score, scan.level, conditions)


def finding_counts(
    session: Session, *, scan_ids: Sequence[int]
) -> tuple[dict[int, dict[str, int]], dict[int, tuple[int, int]]]:
    """Per scan: open (not fixed, not waived) findings by severity, and ``(findings, waived)``.

    One grouped pass over the scans' findings (two separate passes took ~7 s at a million).
    """
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    sizes: dict[int, tuple[int, int]] = {}
    if not scan_ids:
        return counts, sizes
    waived = col(Finding.waived)
    is_open = sa.and_(col(Finding.state) != FindingState.fixed, sa.not_(waived))
    query = (
        sa.select(
            col(Finding.scan_id),
            col(Finding.severity),
            func.count(),
            func.count(sa.case((waived, 1))),
            func.count(sa.case((is_open, 1))),
        )
        .where(col(Finding.scan_id).in_(scan_ids))
        .group_by(col(Finding.scan_id), col(Finding.severity))
    )
    rows = session.connection().execute(query).all()
    for scan_id, severity, total, waived_count, open_count in rows:
        if open_count:
            counts[scan_id][severity] = int(open_count)
        findings, waivers = sizes.get(scan_id, (0, 0))
        sizes[scan_id] = (findings + int(total), waivers + int(waived_count or 0))
    return counts, sizes


def standards(session: Session, *, scan_ids: Sequence[int]) -> dict[int, list[StandardResult]]:
    """Each scan's per-standard results, by standard name."""
    found: dict[int, list[StandardResult]] = defaultdict(list)
    if scan_ids:
        query = select(StandardResult).where(col(StandardResult.scan_id).in_(scan_ids))
        for row in session.exec(query.order_by(col(StandardResult.standard))).all():
            found[row.scan_id].append(row)
    return found


def summaries(
    session: Session, *, scans: Sequence[Scan], modules: Mapping[int, tuple[str, str]]
) -> list[ScanSummary]:
    """Scans as summaries (``modules``: id → (key, vendor)), in a fixed handful of queries."""
    ids = [scan.id for scan in scans if scan.id is not None]
    (counts, sizes), results = finding_counts(session, scan_ids=ids), standards(session, scan_ids=ids)
    out = []
    for scan in scans:
        key, vendor = modules[scan.module_id]
        scan_id = scan.id or 0
        header = ScanHeader(
            scan_id,
            key,
            vendor,
            scan.commit_sha,
            scan.branch,
            scan.profile,
            scan.profile_digest,
            scan.status.value,
            scan.started_at,
            scan.finished_at,
            scan.fixed_count,
        )
        rows = tuple(
            StandardRow(r.standard, r.score, r.level, r.failed_rules) for r in results.get(scan_id, [])
        )
        findings, waived = sizes.get(scan_id, (0, 0))
        out.append(ScanSummary(header, verdict(scan), rows, counts.get(scan_id, {}), findings, waived))
    return out


def rules(results: Sequence[StandardResult], module: str, *, failing_only: bool = False) -> list[RuleRow]:
    """The rule outcomes stored with standard results (``failing_only``: status ``fail``)."""
    out = []
    for result in results:
        for entry in result.rules:
            if not isinstance(entry, dict):
                continue
            row = _rule(entry, result.standard, module)
            if row.status == "fail" or not failing_only:
                out.append(row)
    return out


def _title(stored: object) -> dict[str, str]:
    """A stored rule title: ``{"en": …, "zh-CN": …}`` (older results hold plain English text)."""
    if isinstance(stored, Mapping):
        return {str(lang): str(text) for lang, text in stored.items()}
    return {"en": str(stored)} if stored else {}


def _rule(entry: Mapping[str, Any], standard: str, module: str) -> RuleRow:
    return RuleRow(
        module=module,
        rule=str(entry.get("rule") or entry.get("id") or "?"),
        standard=str(entry.get("standard") or standard),
        severity=str(entry.get("severity") or ""),
        status=str(entry.get("status") or ("pass" if entry.get("passed") else "fail")),
        measured=entry.get("measured"),
        threshold=entry.get("threshold"),
        comparison=str(entry.get("comparison") or ""),
        count=entry.get("count"),
        title=_title(entry.get("title")),
    )


def waivers(session: Session, *, modules: Mapping[int, str]) -> list[WaiverRow]:
    """Approved waivers of the given modules (id → key), by module then id."""
    if not modules:
        return []
    rows = session.exec(
        select(Waiver)
        .where(col(Waiver.module_id).in_(list(modules)), Waiver.state == WaiverState.approved)
        .order_by(col(Waiver.module_id), col(Waiver.id))
    ).all()
    return [
        WaiverRow(
            w.id or 0,
            modules[w.module_id],
            w.kind.value,
            w.fingerprint or w.rule or "",
            w.reason,
            w.requested_by,
            w.approver,
            w.decided_at,
            w.expires_at,
        )
        for w in rows
    ]
