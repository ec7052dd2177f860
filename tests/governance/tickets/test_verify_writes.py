"""Re-checking tickets after a scan reads ticket findings in chunks and writes only changed flags.

Why: every scan of the default branch re-checks the module's tickets; on a no-change rescan
nothing changes, so the step should read (in chunks, not one query per ticket) and write no
ticket-finding row at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from sqlmodel import select

from governance.scans.models import Finding
from governance.tickets import scanhook
from governance.tickets.models import Ticket, TicketFinding
from tests.governance.scans.conftest import FLAWED

pytestmark = pytest.mark.slow

PARTLY_FIXED = FLAWED.replace('    password = "hunter2-secret"\n', "")

#: what a ticket keeps of each finding it holds
COPIED = ("module_id", "fingerprint", "rule", "severity", "path", "line", "message")


@contextmanager
def statements(engine: sa.Engine) -> Iterator[list[tuple[str, int]]]:
    """Every SQL statement the engine runs meanwhile (upper-cased, one line) and its row count."""
    seen: list[tuple[str, int]] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        seen.append((" ".join(statement.split()).upper(), cursor.rowcount))

    sa.event.listen(engine, "after_cursor_execute", record)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "after_cursor_execute", record)


def _written(seen: list[tuple[str, int]]) -> int:
    """Ticket-finding rows updated (batched or not: the rows count, not the statements)."""
    return sum(count for statement, count in seen if statement.startswith("UPDATE TICKET_FINDING"))


def _reads(seen: list[tuple[str, int]]) -> int:
    """Queries reading tickets' findings by ticket."""
    return sum(
        1
        for statement, _ in seen
        if statement.startswith("SELECT") and "WHERE TICKET_FINDING.TICKET_ID" in statement
    )


def _flags(database) -> dict[str, bool]:
    with database.session() as session:
        return {r.fingerprint: r.present for r in session.exec(select(TicketFinding)).all()}


def _showing(database, scan_id: int) -> set[str]:
    with database.session() as session:
        rows = session.exec(select(Finding).where(Finding.scan_id == scan_id, Finding.waived == False)).all()  # noqa: E712
    return {r.fingerprint for r in rows}


def test_a_no_change_rescan_writes_no_ticket_finding(database, pay_module, scan_now) -> None:
    scan_now(pay_module)
    before = _flags(database)
    assert before and all(before.values())
    with statements(database.engine) as seen:
        again = scan_now(pay_module)
    assert _written(seen) == 0
    assert _flags(database) == before
    with database.session() as session:
        [ticket] = session.exec(select(Ticket)).all()
    assert ticket.last_scan_id == again.id and ticket.state == "open"


def test_a_partial_fix_writes_exactly_the_changed_flags(
    database, pay_module, scan_now, vendor_repo, monkeypatch
) -> None:
    monkeypatch.setattr(scanhook, "CHUNK", 1)  # chunking must not change the outcome
    scan_now(pay_module)
    before = _flags(database)
    vendor_repo.commit("PAY-2: no password", {"src/pay/core.py": PARTLY_FIXED})
    with statements(database.engine) as seen:
        second = scan_now(pay_module)
    after = _flags(database)
    showing = _showing(database, second.id)
    assert after == {fp: fp in showing for fp in before}, "each flag says whether the scan shows it"
    changed = [fp for fp in before if before[fp] != after[fp]]
    assert 0 < len(changed) < len(before)
    assert _written(seen) == len(changed)


def test_findings_of_many_tickets_are_read_in_chunks(database, pay_module, scan_now, monkeypatch) -> None:
    first = scan_now(pay_module)
    with database.session() as session:
        [ticket] = session.exec(select(Ticket)).all()
        held = session.exec(select(TicketFinding)).all()
        for n in range(4):  # four more active tickets holding the same findings, flagged gone
            extra = Ticket(
                module_id=ticket.module_id,
                vendor_id=ticket.vendor_id,
                cause="new_findings",
                title=f"extra {n}",
                severity=ticket.severity,
                due_at=ticket.due_at,
                opened_scan_id=first.id,
            )
            session.add(extra)
            session.flush()
            for f in held:
                copied = {name: getattr(f, name) for name in COPIED}
                session.add(TicketFinding(ticket_id=extra.id, present=False, **copied))
    monkeypatch.setattr(scanhook, "CHUNK", 2)
    with statements(database.engine) as seen:
        scan_now(pay_module)
    assert _reads(seen) == 3, "five tickets, two per query"
    assert _written(seen) == 4 * len(held), "only the flags that changed"
    with database.session() as session:
        assert all(r.present for r in session.exec(select(TicketFinding)).all())
