"""The waiver workflow: request → approve | reject, revoke; what a scan is judged with.

A waiver names a finding's fingerprint (or a whole standards rule) of one module, never a
finding row, so it follows the finding across rescans, line moves and re-pushes. Vendors
ask (false positive, or accepted risk), PMs decide with an expiry; while approved and
unexpired it takes the finding out of scores and gates, and on expiry the finding counts
again by itself. Every step is an audit event in the same transaction as the change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from governance import audit
from governance.access import (
    can_manage,
    can_read_module,
    is_vendor,
    readable_module,
    require,
    visible_module_ids,
)
from governance.errors import Conflict, InvalidInput, NotFound, said
from governance.notices.events import Event
from governance.registry.models import Module, User
from governance.scans.models import Finding, Waiver, WaiverKind, WaiverState
from governance.timeutil import as_utc, utcnow
from governance.waivers.notices import announce

DEFAULT_DAYS = 90
MAX_DAYS = 366
REASON_MIN = 10


@dataclass(frozen=True, slots=True)
class WaiverRequest:
    """What a requester asks for: exactly one of ``fingerprint`` or ``rule``."""

    module: str
    reason: str
    kind: WaiverKind = WaiverKind.false_positive
    fingerprint: str | None = None
    rule: str | None = None


def may_request(user: User, module: Module) -> bool:
    """The module's own vendor asks; PMs and admins may too. Auditors never change anything."""
    return can_read_module(user, module) and (is_vendor(user) or can_manage(user))


def _reason(text: str) -> str:
    cleaned = (text or "").strip()
    if len(cleaned) < REASON_MIN:
        raise said(InvalidInput, "a reason of at least %(count)s characters is needed", count=REASON_MIN)
    return cleaned


def _finding_snapshot(session: Session, module: Module, fingerprint: str) -> dict[str, object]:
    """The newest recorded finding with this fingerprint, to show readers what was waived."""
    row = session.exec(
        select(Finding)
        .where(Finding.module_id == module.id, Finding.fingerprint == fingerprint)
        .order_by(col(Finding.id).desc())
        .limit(1)
    ).first()
    if row is None:
        raise said(
            NotFound,
            "module %(module)s has no finding %(fingerprint)s",
            module=module.key,
            fingerprint=fingerprint,
        )
    return {"rule": row.rule, "path": row.path, "line": row.line, "severity": row.severity}


def _open_for(session: Session, module: Module, request: WaiverRequest, now: datetime) -> Waiver | None:
    rows = session.exec(
        select(Waiver).where(
            Waiver.module_id == module.id,
            Waiver.fingerprint == request.fingerprint,
            Waiver.rule == request.rule,
            col(Waiver.state).in_([WaiverState.requested, WaiverState.approved]),
        )
    ).all()
    return next((w for w in rows if w.expires_at is None or as_utc(w.expires_at) >= now), None)


def request_waiver(
    session: Session,
    *,
    user: User,
    request: WaiverRequest,
    now: datetime | None = None,
    expires_at: datetime | None = None,
) -> Waiver:
    """Ask for a waiver; a PM's own request is approved at once (``expires_at``, or the default expiry)."""
    now = now or utcnow()
    module = readable_module(session, user, request.module)
    require(may_request(user, module), f"request a waiver on {module.key}")
    if (request.fingerprint is None) == (request.rule is None):
        raise said(InvalidInput, "a waiver names exactly one finding (fingerprint) or one rule")
    reason = _reason(request.reason)
    if _open_for(session, module, request, now) is not None:
        raise said(Conflict, "a waiver for this finding or rule is already requested or in force")
    snapshot = _finding_snapshot(session, module, request.fingerprint) if request.fingerprint else {}
    waiver = Waiver(
        module_id=module.id or 0,
        fingerprint=request.fingerprint,
        rule=request.rule,
        kind=request.kind,
        reason=reason,
        finding=snapshot,
        requested_by=user.name,
        created_at=now,
    )
    session.add(waiver)
    session.flush()
    _audit(session, user, "waiver.requested", waiver)
    if not can_manage(user):
        announce(session, Event.waiver_requested, waiver, by=user.name)
    if can_manage(user):
        waiver_id = waiver.id or 0
        return decide_waiver(
            session,
            user=user,
            waiver_id=waiver_id,
            approve=True,
            reason=reason,
            expires_at=expires_at,
            now=now,
        )
    return waiver


def decide_waiver(
    session: Session,
    *,
    user: User,
    waiver_id: int,
    approve: bool,
    reason: str,
    expires_at: datetime | None = None,
    now: datetime | None = None,
) -> Waiver:
    """A PM approves (with an expiry, default 90 days, at most a year) or rejects a request."""
    now = now or utcnow()
    waiver = get_waiver(session, user=user, waiver_id=waiver_id)
    require(can_manage(user), "decide waivers")
    if waiver.state != WaiverState.requested:
        raise said(Conflict, "waiver #%(id)s is not waiting for a decision", id=waiver_id)
    waiver.decision_reason = _reason(reason)
    waiver.approver, waiver.decided_at = user.name, now
    if approve:
        expires = as_utc(expires_at) if expires_at else now + timedelta(days=DEFAULT_DAYS)
        if not now < expires <= now + timedelta(days=MAX_DAYS):
            raise said(InvalidInput, "a waiver expires after now and within %(days)s days", days=MAX_DAYS)
        waiver.state, waiver.expires_at = WaiverState.approved, expires
        announce(session, Event.waiver_approved, waiver, by=user.name)
    else:
        waiver.state = WaiverState.rejected
    session.add(waiver)
    _audit(session, user, "waiver.approved" if approve else "waiver.rejected", waiver)
    return waiver


def revoke_waiver(
    session: Session, *, user: User, waiver_id: int, reason: str, now: datetime | None = None
) -> Waiver:
    """Withdraw an approved waiver before its expiry: the finding counts again from the next scan."""
    waiver = get_waiver(session, user=user, waiver_id=waiver_id)
    require(can_manage(user), "revoke waivers")
    if waiver.state != WaiverState.approved:
        raise said(Conflict, "waiver #%(id)s is not approved", id=waiver_id)
    waiver.state, waiver.revoked_at = WaiverState.revoked, now or utcnow()
    waiver.decision_reason = _reason(reason)
    session.add(waiver)
    _audit(session, user, "waiver.revoked", waiver)
    return waiver


def get_waiver(session: Session, *, user: User, waiver_id: int) -> Waiver:
    """One waiver, if ``user`` may read its module (otherwise the same 404 as a typo)."""
    waiver = session.get(Waiver, waiver_id)
    module = session.get(Module, waiver.module_id) if waiver else None
    if waiver is None or module is None or not can_read_module(user, module):
        raise said(NotFound, "unknown waiver #%(id)s", id=waiver_id)
    return waiver


def list_waivers(
    session: Session, *, user: User, module: str, state: WaiverState | None = None
) -> list[Waiver]:
    """The waivers of one readable module, newest first."""
    found = readable_module(session, user, module)
    query = select(Waiver).where(Waiver.module_id == found.id)
    if state is not None:
        query = query.where(Waiver.state == state)
    return list(session.exec(query.order_by(col(Waiver.id).desc())).all())


def waiver_queue(
    session: Session, *, user: User, state: WaiverState = WaiverState.requested, limit: int = 200
) -> list[tuple[Waiver, str]]:
    """Waivers in ``state`` over every module ``user`` may read, oldest first, with the module key.

    A PM's queue of requests to decide; a vendor sees only its own modules' requests.
    """
    query = (
        select(Waiver, Module.key)
        .join(Module, col(Module.id) == col(Waiver.module_id))
        .where(Waiver.state == state, col(Waiver.module_id).in_(visible_module_ids(session, user)))
        .order_by(col(Waiver.id))
        .limit(limit)
    )
    return [(waiver, key) for waiver, key in session.exec(query).all()]


def _audit(session: Session, user: User, action: str, waiver: Waiver) -> None:
    audit.record(
        session,
        actor=user.name,
        action=action,
        target_type="waiver",
        target_id=waiver.id or 0,
        data={
            "module_id": waiver.module_id,
            "fingerprint": waiver.fingerprint,
            "rule": waiver.rule,
            "kind": waiver.kind.value,
            "reason": waiver.reason,
            "decision_reason": waiver.decision_reason,
            "expires_at": as_utc(waiver.expires_at).isoformat() if waiver.expires_at else None,
        },
    )
