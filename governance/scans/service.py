"""Scans as a service: request (coalesced), run (leased, atomic), sweep (expired leases).

The run itself lives in :mod:`governance.scans.run`; this module owns the Scan row's
life: queued → running (with a lease the coordinator renews) → complete | failed.
"""

from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta
from typing import Any, cast

import sqlalchemy as sa
from sqlmodel import Session, col, select

from governance import audit
from governance.errors import Conflict, NotFound, said
from governance.modeltypes import row_id
from governance.registry.models import Module
from governance.scans.models import Scan, ScanStatus
from governance.timeutil import as_utc, utcnow

ACTIVE = (ScanStatus.queued, ScanStatus.running)


def coordinator_id() -> str:
    """Who holds a scan's lease: host and process."""
    return f"{socket.gethostname()}:{os.getpid()}"


def request_scan(
    session: Session,
    *,
    module: Module,
    trigger: str,
    actor: str,
    commit: str | None = None,
    branch: str | None = None,
) -> tuple[Scan, bool]:
    """Queue a scan of a branch (tip, or ``commit``); returns the scan and whether it is new.

    Triggers are coalesced: a branch has at most one queued scan (a newer commit replaces
    the queued one's), and a request for what a running scan already covers is absorbed.
    """
    branch = branch or module.default_branch
    sweep_expired(session, module_id=row_id(module))
    existing = _absorbing(session, module_id=row_id(module), branch=branch, commit=commit)
    if existing is not None:
        if existing.status == ScanStatus.queued and commit:
            existing.commit_sha = commit
            session.add(existing)
        audit.record(
            session,
            actor=actor,
            action="scan.coalesced",
            target_type="scan",
            target_id=row_id(existing),
            data={"trigger": trigger, "commit": commit},
        )
        return existing, False
    scan = Scan(
        module_id=row_id(module),
        commit_sha=commit or "",
        branch=branch,
        trigger=trigger,
        profile=module.profile,
    )
    session.add(scan)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="scan.requested",
        target_type="scan",
        target_id=row_id(scan),
        data={"module": module.key, "trigger": trigger, "commit": commit, "branch": branch},
    )
    return scan, True


def _absorbing(session: Session, *, module_id: int, branch: str, commit: str | None) -> Scan | None:
    """The queued scan of the branch, or a running one that already covers ``commit``."""
    active = session.exec(
        select(Scan)
        .where(Scan.module_id == module_id, Scan.branch == branch, col(Scan.status).in_(ACTIVE))
        .order_by(col(Scan.id))
    ).all()
    queued = next((s for s in active if s.status == ScanStatus.queued), None)
    if queued is not None:
        return queued
    return next((s for s in active if s.commit_sha in ("", commit or "")), None)


def claim(session: Session, *, scan_id: int, owner: str, lease_seconds: int) -> Scan:
    """Atomically move a queued scan to running under ``owner``'s lease.

    A conditional UPDATE, so of two coordinators racing for one scan exactly one wins.
    """
    now = utcnow()
    claimed = cast(  # an UPDATE answers with a cursor result, which counts the rows it changed
        "sa.CursorResult[Any]",
        session.execute(
            sa.update(Scan)
            .where(col(Scan.id) == scan_id, col(Scan.status) == ScanStatus.queued)
            .values(
                status=ScanStatus.running,
                lease_owner=owner,
                started_at=now,
                lease_expires_at=now + timedelta(seconds=lease_seconds),
            )
        ),
    )
    if claimed.rowcount != 1:
        state = session.get(Scan, scan_id)
        if state is None:
            raise said(NotFound, "unknown scan %(scan_id)s", scan_id=scan_id)
        raise said(
            Conflict, "scan %(scan_id)s is %(status)s, not queued", scan_id=scan_id, status=state.status.value
        )
    scan = session.get(Scan, scan_id)
    assert scan is not None
    session.refresh(scan)
    return scan


def renew(session: Session, *, scan_id: int, owner: str, lease_seconds: int) -> bool:
    """Extend the lease; False when it was lost (swept), so the coordinator stops."""
    scan = session.get(Scan, scan_id)
    if scan is None or scan.status != ScanStatus.running or scan.lease_owner != owner:
        return False
    scan.lease_expires_at = utcnow() + timedelta(seconds=lease_seconds)
    session.add(scan)
    return True


def fail(session: Session, *, scan_id: int, reason: str, actor: str) -> None:
    """Mark a scan failed; its findings were never written, the previous scan stays current."""
    scan = session.get(Scan, scan_id)
    if scan is None or scan.status == ScanStatus.complete:
        return
    scan.status, scan.reason = ScanStatus.failed, reason[:4000]
    scan.finished_at, scan.lease_owner, scan.lease_expires_at = utcnow(), None, None
    session.add(scan)
    audit.record(
        session,
        actor=actor,
        action="scan.failed",
        target_type="scan",
        target_id=row_id(scan),
        data={"reason": reason[:500]},
    )


def sweep_expired(
    session: Session, *, module_id: int | None = None, now: datetime | None = None
) -> list[int]:
    """Fail running scans whose coordinator stopped renewing its lease (killed, lost).

    ``now`` defaults to the clock; tests pass a time past the lease instead of waiting for it.
    """
    query = select(Scan).where(Scan.status == ScanStatus.running)
    if module_id is not None:
        query = query.where(Scan.module_id == module_id)
    now, swept = now or utcnow(), list[int]()
    for scan in session.exec(query).all():
        if scan.lease_expires_at is not None and as_utc(scan.lease_expires_at) < now:
            fail(
                session,
                scan_id=row_id(scan),
                reason=f"coordinator {scan.lease_owner} lost (lease expired)",
                actor="sweeper",
            )
            swept.append(row_id(scan))
    return swept


def get_scan(session: Session, scan_id: int) -> Scan:
    scan = session.get(Scan, scan_id)
    if scan is None:
        raise said(NotFound, "unknown scan %(scan_id)s", scan_id=scan_id)
    return scan


def on_default_branch() -> sa.ColumnElement[bool]:
    """Scans of their module's default branch: what a module's headline, dashboard and trends show.

    A correlated subquery rather than a join so callers can add it to any ``select(Scan)``;
    a scan without a branch predates branch tracking and was of the default branch.
    """
    default = select(Module.default_branch).where(Module.id == Scan.module_id).scalar_subquery()
    return sa.or_(col(Scan.branch).is_(None), col(Scan.branch) == default)


def of_branch(branch: str | None) -> sa.ColumnElement[bool]:
    """Scans of ``branch``, or of each module's default branch when ``branch`` is None."""
    return on_default_branch() if branch is None else col(Scan.branch) == branch


def scanned_branches(session: Session, *, module: Module) -> list[str]:
    """The branches of a module with at least one scan, default branch first, then by name."""
    rows = session.exec(select(Scan.branch).where(Scan.module_id == module.id).distinct()).all()
    names = {row or module.default_branch for row in rows} | {module.default_branch}
    return [module.default_branch, *sorted(names - {module.default_branch})]


def latest_complete(session: Session, *, module_id: int, branch: str | None = None) -> Scan | None:
    """The newest complete scan of ``branch`` (default: the module's default branch)."""
    query = select(Scan).where(
        Scan.module_id == module_id, Scan.status == ScanStatus.complete, of_branch(branch)
    )
    return session.exec(query.order_by(col(Scan.finished_at).desc(), col(Scan.id).desc())).first()
