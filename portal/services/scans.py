"""Scans as users see them: latest per module, history, one scan with its standard results."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from governance import access
from governance.errors import NotFound, said
from governance.registry.models import Module, User
from governance.scans.models import Scan, ScanStatus, StandardResult
from governance.scans.service import of_branch, on_default_branch

STANDARDS = ("design", "requirements", "development", "testing", "operations", "data")


def latest_scans(session: Session, *, module_ids: list[int]) -> dict[int, Scan]:
    """The newest complete scan of each module's default branch (one query; ids grow with time)."""
    if not module_ids:
        return {}
    newest = (
        select(func.max(Scan.id))
        .where(
            col(Scan.module_id).in_(module_ids),
            Scan.status == ScanStatus.complete,
            on_default_branch(),
        )
        .group_by(col(Scan.module_id))
    )
    scans = session.exec(select(Scan).where(col(Scan.id).in_(newest))).all()
    return {scan.module_id: scan for scan in scans}


def latest_scan(session: Session, *, module: Module, branch: str | None = None) -> Scan | None:
    """The newest complete scan of a module's ``branch`` (default: its default branch), or None."""
    return session.exec(
        select(Scan)
        .where(Scan.module_id == module.id, Scan.status == ScanStatus.complete, of_branch(branch))
        .order_by(col(Scan.id).desc())
        .limit(1)
    ).first()


# Built once and run on the connection (no ORM entities to load): it runs before every module
# page, where building and ORM-executing it cost 555 µs against 91 µs so.
_SCANS_VERSION = select(
    func.max(Scan.id),
    func.coalesce(
        func.sum(sa.case((col(Scan.status).in_((ScanStatus.complete, ScanStatus.failed)), 1), else_=0)), 0
    ),
).where(Scan.module_id == sa.bindparam("module"))


def scans_version(session: Session, *, module: Module) -> tuple[int, int]:
    """What a module page's cached summary depends on: its newest scan id and how many have ended.

    A new scan (any branch) or one that completes or fails changes it, so a reader never sees a
    summary older than the module's scans; one small aggregate on an indexed column.
    """
    newest, finished = session.connection().execute(_SCANS_VERSION, {"module": module.id}).one()
    return int(newest or 0), int(finished or 0)


def module_scans(
    session: Session, *, module: Module, limit: int = 50, offset: int = 0
) -> tuple[list[Scan], int]:
    """A page of a module's scans, newest first, with the total count."""
    total = session.exec(select(func.count()).select_from(Scan).where(Scan.module_id == module.id)).one()
    rows = session.exec(
        select(Scan)
        .where(Scan.module_id == module.id)
        .order_by(col(Scan.id).desc())
        .offset(offset)
        .limit(limit)
    ).all()
    return list(rows), int(total)


def readable_scan(session: Session, *, user: User, scan_id: int) -> tuple[Scan, Module]:
    """Scan ``scan_id`` and its module, or 404 when absent *or* not the user's to see."""
    scan = session.get(Scan, scan_id)
    if scan is None:
        raise said(NotFound, "unknown scan #%(id)s", id=scan_id)
    try:
        module = access.readable_module_by_id(session, user, scan.module_id)
    except NotFound:
        raise said(NotFound, "unknown scan #%(id)s", id=scan_id) from None
    return scan, module


def standard_results(session: Session, *, scan_ids: list[int]) -> dict[int, dict[str, StandardResult]]:
    """Pre-aggregated per-standard results of several scans: ``{scan_id: {standard: result}}``."""
    if not scan_ids:
        return {}
    results: dict[int, dict[str, StandardResult]] = {}
    for row in session.exec(select(StandardResult).where(col(StandardResult.scan_id).in_(scan_ids))):
        results.setdefault(row.scan_id, {})[row.standard] = row
    return results


@dataclass(frozen=True)
class RuleOutcome:
    """One rule's outcome as kept in ``StandardResult.rules`` (a list of dicts written by the pipeline)."""

    rule: str
    title: str | dict[str, str]  # {"en": …, "zh-CN": …} since scan JSON v2; a string before
    passed: bool
    detail: str


def _rule_passed(entry: dict[str, Any]) -> bool:
    if "passed" in entry:
        return bool(entry["passed"])
    return str(entry.get("status", entry.get("outcome", "pass"))).lower() in {"pass", "passed", "ok", "skip"}


def failing_rules(result: StandardResult) -> list[RuleOutcome]:
    """The rules of one standard result that did not pass (tolerant of the rule record's shape)."""
    outcomes = []
    for entry in result.rules or []:
        if not isinstance(entry, dict) or _rule_passed(entry):
            continue
        outcomes.append(
            RuleOutcome(
                rule=str(entry.get("id") or entry.get("rule") or "?"),
                title=entry["title"] if isinstance(entry.get("title"), dict) else str(entry.get("title", "")),
                passed=False,
                detail=str(entry.get("detail") or entry.get("message") or ""),
            )
        )
    return outcomes
