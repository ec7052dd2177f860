"""Attested checks: evidence a vendor submits for a rule no scanner can check, and its approval.

A vendor (or PM) submits a file and a statement for an *attestation* rule of a module; the
rule's approver role decides, giving an expiry no later than the rule's ``validity_days``.
While an approved attestation is unexpired the rule passes; afterwards it fails again, and
the first scan after expiry records an ``attestation.expired`` audit event and enqueues the
notice of the same name (to the vendor and the PMs).
Time is always passed in (``now``), so expiry is tested on a controlled clock.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from governance import audit
from governance.errors import Conflict, InvalidInput, NotFound, said
from governance.evidence.models import Attestation
from governance.notices.events import Event
from governance.notices.outbox import enqueue
from governance.registry.models import Module
from governance.timeutil import as_utc
from standards.schema import AttestationCheck, Standard

MAX_EVIDENCE_BYTES = 50 * 1024 * 1024  # a scanned, signed PDF report
_PREFERENCE = ("valid", "pending", "expired", "rejected")


def attested_rule(catalogue: Mapping[str, Standard], rule_id: str) -> AttestationCheck:
    """The attestation check of ``rule_id``; any other rule is a clear error."""
    for standard in catalogue.values():
        for rule in standard.rules:
            if rule.id == rule_id.upper():
                if isinstance(rule.check, AttestationCheck):
                    return rule.check
                raise said(
                    InvalidInput,
                    "%(rule_id)s is checked by %(kind_name)s, not by attestation",
                    rule_id=rule.id,
                    kind_name=rule.check.kind,
                )
    raise said(NotFound, "unknown rule %(rule_id)s", rule_id=repr(rule_id))


def state_on(attestation: Attestation, now: datetime) -> str:
    """``valid`` / ``expired`` / ``pending`` / ``rejected`` at ``now``."""
    if attestation.state != "approved":
        return attestation.state
    assert attestation.expires_at is not None
    return "valid" if as_utc(attestation.expires_at) > now else "expired"


def submit(
    session: Session,
    *,
    module: Module,
    rule_id: str,
    statement: str,
    filename: str,
    data: bytes,
    actor: str,
    catalogue: Mapping[str, Standard],
) -> Attestation:
    """Record a submission (pending until decided); the file is kept byte for byte."""
    attested_rule(catalogue, rule_id)
    if len(statement.strip()) < 10:
        raise said(InvalidInput, "the statement must say in a sentence what the evidence shows")
    if not data:
        raise said(InvalidInput, "%(filename)s: the evidence file is empty", filename=filename)
    if len(data) > MAX_EVIDENCE_BYTES:
        raise said(
            InvalidInput,
            "%(filename)s: more than the limit of %(max_evidence_bytes)s bytes",
            filename=filename,
            max_evidence_bytes=MAX_EVIDENCE_BYTES,
        )
    row = Attestation(
        module_id=module.id or 0,
        rule_id=rule_id.upper(),
        statement=statement.strip(),
        filename=filename[-255:],
        sha256=hashlib.sha256(data).hexdigest(),
        content=data,
        submitted_by=actor,
    )
    session.add(row)
    session.flush()
    _audit(session, row, actor, "attestation.submit", {"sha256": row.sha256, "module": module.key})
    session.commit()
    session.refresh(row)
    return row


def decide(
    session: Session,
    *,
    attestation_id: int,
    approve: bool,
    expires_at: datetime | None,
    note: str,
    actor: str,
    now: datetime,
    catalogue: Mapping[str, Standard],
) -> Attestation:
    """Approve (with an expiry within the rule's validity) or reject a pending submission."""
    row = get(session, attestation_id)
    if row.state != "pending":
        raise said(
            Conflict,
            "attestation #%(attestation_id)s is already %(state)s",
            attestation_id=attestation_id,
            state=row.state,
        )
    check = attested_rule(catalogue, row.rule_id)
    if approve:
        if expires_at is None or as_utc(expires_at) <= now:
            raise said(InvalidInput, "an approval needs an expiry in the future")
        if as_utc(expires_at) > now + timedelta(days=check.validity_days):
            raise said(
                InvalidInput,
                "%(rule_id)s evidence is valid for at most %(validity_days)s days",
                rule_id=row.rule_id,
                validity_days=check.validity_days,
            )
        row.expires_at = as_utc(expires_at)
    elif not note.strip():
        raise said(InvalidInput, "a rejection needs a note saying why")
    row.state = "approved" if approve else "rejected"
    row.decided_by, row.decided_at, row.decision_note = actor, now, note.strip()
    session.add(row)
    data = {"expires_at": row.expires_at.isoformat() if row.expires_at else None, "note": row.decision_note}
    _audit(session, row, actor, f"attestation.{'approve' if approve else 'reject'}", data)
    session.commit()
    session.refresh(row)
    return row


def get(session: Session, attestation_id: int) -> Attestation:
    row = session.get(Attestation, attestation_id)
    if row is None:
        raise said(NotFound, "unknown attestation #%(attestation_id)s", attestation_id=attestation_id)
    return row


def of_module(session: Session, *, module_id: int) -> list[Attestation]:
    query = select(Attestation).where(Attestation.module_id == module_id)
    return list(session.exec(query.order_by(col(Attestation.rule_id), col(Attestation.id).desc())).all())


def states(session: Session, *, module_id: int, now: datetime) -> dict[str, str]:
    """Rule id -> the best state of the module's attestations for it at ``now``."""
    best: dict[str, str] = {}
    for row in of_module(session, module_id=module_id):
        state = state_on(row, now)
        if row.rule_id not in best or _PREFERENCE.index(state) < _PREFERENCE.index(best[row.rule_id]):
            best[row.rule_id] = state
    return best


def notify_expired(session: Session, *, module_id: int, now: datetime, actor: str) -> list[Attestation]:
    """Record once, in the caller's transaction, each approved attestation that has expired."""
    expired = [
        row
        for row in of_module(session, module_id=module_id)
        if row.state == "approved" and row.expiry_notified_at is None and state_on(row, now) == "expired"
    ]
    for row in expired:
        row.expiry_notified_at = now
        session.add(row)
        _audit(
            session,
            row,
            actor,
            "attestation.expired",
            {"rule": row.rule_id, "expired_at": str(row.expires_at)},
        )
        _announce_expiry(session, row)
    return expired


def _announce_expiry(session: Session, row: Attestation) -> None:
    """Tell the vendor and the PMs, with the change, that the rule fails until new evidence is approved."""
    module = session.get(Module, row.module_id)
    key = module.key if module else None
    enqueue(
        session,
        event=Event.attestation_expired,
        module_id=row.module_id,
        vendor_id=None,
        payload={
            "module": key,
            "rule": row.rule_id,
            "expires": as_utc(row.expires_at).date().isoformat() if row.expires_at else None,
            "url": f"/modules/{key}/evidence" if key else None,
        },
        once=f"attestation.expired:{row.id}",
    )


def _audit(session: Session, row: Attestation, actor: str, action: str, data: Mapping[str, object]) -> None:
    audit.record(
        session,
        actor=actor,
        action=action,
        target_type="attestation",
        target_id=row.id or 0,
        data={"rule": row.rule_id, **data},
    )
