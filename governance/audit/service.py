"""Append, walk and verify the hash-chained audit trail.

Each event's hash covers its canonical content and the previous event's hash, and
``seq`` runs 1, 2, 3… without gaps. Editing a row breaks its hash; deleting one leaves
a gap; moving one breaks the chain. Cutting off the newest events leaves a valid but
shorter chain, which only a head kept outside Govern (``govern audit head``) reveals.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import sqlalchemy as sa
from sqlmodel import Session, col, select

from governance.audit.models import AuditEvent
from governance.timeutil import as_utc, utcnow

GENESIS = "0" * 64
_LOCK_KEY = 0x60BE12  # PostgreSQL advisory lock serialising appends


def _canonical(event: AuditEvent) -> bytes:
    body = {
        "seq": event.seq,
        "at": as_utc(event.at).isoformat(timespec="microseconds"),
        "actor": event.actor,
        "action": event.action,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "data": event.data,
        "prev_hash": event.prev_hash,
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), default=str).encode()


def compute_hash(event: AuditEvent) -> str:
    """SHA-256 of the event's canonical JSON form (its own hash excluded)."""
    return hashlib.sha256(_canonical(event)).hexdigest()


def _lock_chain(session: Session) -> None:
    """Serialise appenders so two transactions never take the same ``seq``.

    PostgreSQL: a transaction-scoped advisory lock. SQLite: the database's write lock,
    taken by a statement that writes nothing *before* the newest event is read: otherwise
    a reader outside any transaction sees seq N, another writer commits N+1, and this one
    inserts N+1 again (``UNIQUE constraint failed``). Waiting for the lock is bounded by
    the connection's busy timeout.
    """
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})
    elif dialect == "sqlite":
        session.execute(sa.text("UPDATE audit_event SET seq = seq WHERE 0 = 1"))


def _latest(session: Session) -> AuditEvent | None:
    return session.exec(select(AuditEvent).order_by(col(AuditEvent.seq).desc()).limit(1)).first()


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    target_type: str,
    target_id: str | int,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event in the caller's transaction (it commits with the change it records)."""
    _lock_chain(session)
    previous = _latest(session)
    event = AuditEvent(
        seq=(previous.seq + 1) if previous else 1,
        at=utcnow(),
        actor=actor,
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        data=json.loads(json.dumps(data or {}, default=str)),
        prev_hash=previous.hash if previous else GENESIS,
        hash="",
    )
    event.hash = compute_hash(event)
    session.add(event)
    session.flush()
    return event


@dataclass(frozen=True)
class AuditHead:
    """What an auditor keeps outside Govern to detect truncation later."""

    hash: str
    count: int


class NewRow(Protocol):
    """A table row with an id given by the database."""

    @property
    def id(self) -> int | None: ...


def record_new(
    session: Session,
    row: NewRow,
    *,
    actor: str,
    action: str,
    target_type: str,
    target_id: str | int,
    **data: Any,
) -> AuditEvent:
    """Add ``row`` and the event that created it, in the caller's transaction; the event's data
    starts with the row's id, which exists only once the row is flushed."""
    session.add(row)
    session.flush()
    return record(
        session,
        actor=actor,
        action=action,
        target_type=target_type,
        target_id=target_id,
        data={"id": row.id, **data},
    )


def head(session: Session) -> AuditHead:
    """The newest event's hash and the number of events."""
    latest = _latest(session)
    return AuditHead(latest.hash, latest.seq) if latest else AuditHead(GENESIS, 0)


@dataclass(frozen=True)
class Verification:
    """Outcome of walking the chain: ``ok`` or the first bad event and why."""

    ok: bool
    verified: int
    problem: str | None = None
    seq: int | None = None


def _walk(session: Session, batch: int = 5000) -> Iterator[AuditEvent]:
    last = 0
    while True:
        rows = session.exec(
            select(AuditEvent).where(AuditEvent.seq > last).order_by(col(AuditEvent.seq)).limit(batch)
        ).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].seq


def _check(event: AuditEvent, expected_seq: int, prev_hash: str) -> str | None:
    if event.seq != expected_seq:
        return f"event #{expected_seq} is missing (next found is #{event.seq}): deleted"
    if event.prev_hash != prev_hash:
        return f"event #{event.seq} does not follow #{expected_seq - 1}: inserted or reordered"
    if compute_hash(event) != event.hash:
        return f"event #{event.seq} ({event.action}) was altered: its content no longer matches its hash"
    return None


def verify(session: Session, *, expected_head: str | None = None) -> Verification:
    """Walk the whole chain; name the first event that was altered, deleted or moved."""
    prev_hash, count = GENESIS, 0
    for event in _walk(session):
        problem = _check(event, count + 1, prev_hash)
        if problem:
            return Verification(False, count, problem, event.seq)
        prev_hash, count = event.hash, event.seq
    if expected_head and expected_head != prev_hash:
        return _judge_head(session, expected_head, count)
    return Verification(True, count)


def _judge_head(session: Session, expected_head: str, count: int) -> Verification:
    known = session.exec(select(AuditEvent).where(AuditEvent.hash == expected_head)).first()
    if known is None:
        return Verification(
            False, count, "the kept head is not in the trail: events after it were removed or rewritten"
        )
    return Verification(
        True, count, f"the kept head is event #{known.seq}; {count - known.seq} newer events follow it"
    )


def events(session: Session, *, since: datetime | None = None, limit: int | None = None) -> list[AuditEvent]:
    """Events in order, optionally from a time on."""
    query = select(AuditEvent).order_by(col(AuditEvent.seq))
    if since is not None:
        query = query.where(AuditEvent.at >= since)
    if limit is not None:
        query = query.limit(limit)
    return list(session.exec(query).all())
