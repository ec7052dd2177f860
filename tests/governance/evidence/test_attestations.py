"""Attested rules pass while approved evidence is valid, fail after expiry, and say so once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, func, select

from governance.audit.models import AuditEvent
from governance.db import Database
from governance.errors import Conflict, InvalidInput
from governance.evidence import attestations
from governance.notices.models import Notice
from governance.registry.service import get_module
from governance.scans.models import Scan, StandardResult
from governance.scans.profiles import builtin_catalogue
from governance.timeutil import utcnow

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
REPORT = b"%PDF-1.4\n% recovery drill report, signed\n"


def _submit(session: Session, rule: str = "OPS-010") -> int:
    row = attestations.submit(
        session,
        module=get_module(session, "CAL"),
        rule_id=rule,
        statement="Recovery drill on 2026-02-20: RTO 2h, RPO 15 min measured.",
        filename="drill.pdf",
        data=REPORT,
        actor="vendor",
        catalogue=builtin_catalogue(),
    )
    assert row.id is not None
    return row.id


def _decide(session: Session, ident: int, *, expires: datetime | None, now: datetime, approve: bool = True):  # type: ignore[no-untyped-def]
    return attestations.decide(
        session,
        attestation_id=ident,
        approve=approve,
        expires_at=expires,
        note="" if approve else "the report is unsigned",
        actor="pm",
        now=now,
        catalogue=builtin_catalogue(),
    )


def test_expiry_on_a_controlled_clock(database: Database, cal_module: str) -> None:
    with database.session() as session:
        ident = _submit(session)
        module_id = get_module(session, "CAL").id or 0
        assert attestations.states(session, module_id=module_id, now=T0) == {"OPS-010": "pending"}
        with pytest.raises(InvalidInput, match="at most 365 days"):
            _decide(session, ident, expires=T0 + timedelta(days=366), now=T0)
        with pytest.raises(InvalidInput, match="expiry in the future"):
            _decide(session, ident, expires=T0, now=T0)
        _decide(session, ident, expires=T0 + timedelta(days=30), now=T0)
        with pytest.raises(Conflict, match="already approved"):
            _decide(session, ident, expires=T0 + timedelta(days=30), now=T0)
        day = timedelta(days=1)
        assert attestations.states(session, module_id=module_id, now=T0 + 29 * day) == {"OPS-010": "valid"}
        assert attestations.states(session, module_id=module_id, now=T0 + 30 * day) == {"OPS-010": "expired"}
        assert [
            a.rule_id
            for a in attestations.notify_expired(session, module_id=module_id, now=T0 + 31 * day, actor="t")
        ] == ["OPS-010"]
        assert attestations.notify_expired(session, module_id=module_id, now=T0 + 32 * day, actor="t") == []
        notices = session.exec(select(Notice).where(Notice.event == "attestation.expired")).all()
        assert [(n.module_id, n.payload["rule"], n.payload["url"]) for n in notices] == [
            (module_id, "OPS-010", "/modules/CAL/evidence")
        ]


def test_only_attestation_rules_take_evidence_and_rejections_say_why(
    database: Database, cal_module: str
) -> None:
    with database.session() as session:
        with pytest.raises(InvalidInput, match="DEV-001 is checked by metric"):
            _submit(session, "DEV-001")
        ident = _submit(session, "DAT-012")
        with pytest.raises(InvalidInput, match="needs a note"):
            attestations.decide(
                session,
                attestation_id=ident,
                approve=False,
                expires_at=None,
                note=" ",
                actor="pm",
                now=T0,
                catalogue=builtin_catalogue(),
            )
        assert _decide(session, ident, expires=None, now=T0, approve=False).state == "rejected"


def _status(database: Database, scan: Scan) -> dict[str, str]:
    with database.session() as session:
        rows = session.exec(select(StandardResult).where(StandardResult.scan_id == scan.id)).all()
        return {r["rule"]: r["status"] for row in rows for r in row.rules}


def _expired_events(database: Database) -> int:
    with database.session() as session:
        return session.exec(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "attestation.expired")
        ).one()


def test_scans_pass_while_valid_and_fail_after_expiry(
    database: Database, cal_module: str, scan_now: Callable[..., Scan]
) -> None:
    now = utcnow()
    with database.session() as session:
        _decide(session, _submit(session, "OPS-010"), expires=now + timedelta(days=90), now=now)
        approved_long_ago = now - timedelta(days=400)  # the approver's clock, a year before
        _decide(
            session,
            _submit(session, "DAT-011"),
            expires=approved_long_ago + timedelta(days=365),
            now=approved_long_ago,
        )
    status = _status(database, scan_now(cal_module))
    assert (status["OPS-010"], status["DAT-011"], status["OPS-011"]) == ("pass", "fail", "fail")
    assert _expired_events(database) == 1
    scan_now(cal_module)
    assert _expired_events(database) == 1  # notified once, not on every scan
