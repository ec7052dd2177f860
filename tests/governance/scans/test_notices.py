"""A scan's notices are enqueued in its commit and delivered after it, never failing the scan."""

from __future__ import annotations

import pytest
from sqlmodel import select

from governance.notices.models import DeliveryStatus, Notice, NoticeAttempt, NoticeDelivery, Webhook
from governance.registry import service as registry
from governance.scans.models import ScanStatus
from governance.webhooks.delivery import verify
from tests.governance.notices.conftest import receiver  # noqa: F401

pytestmark = pytest.mark.slow


@pytest.fixture
def hooked(database, pay_module, receiver):  # noqa: F811
    with database.session() as session:
        module = registry.get_module(session, pay_module)
        session.add(
            Webhook(module_id=module.id, url=receiver.url(), secret="scan-hook-secret-0123", events=[])
        )
    return pay_module


def test_scan_events_reach_the_webhook_after_commit(database, hooked, scan_now, receiver) -> None:  # noqa: F811
    scan = scan_now(hooked)
    assert scan.status == ScanStatus.complete
    expected = ["scan.completed"] + (["gate.failed"] if scan.gate_passed is False else [])
    # A failed gate also opens a rectification ticket in the same commit: its notice comes too.
    scan_events = [r for r in receiver.requests if not r.json["event"].startswith("ticket.")]
    assert [r.json["event"] for r in scan_events] == expected
    for request in receiver.requests:
        assert verify("scan-hook-secret-0123", request.body, request.headers, now=request.json["timestamp"])
    for request in scan_events:
        assert request.json["data"]["module"] == "PAY" and request.json["data"]["scan"] == scan.id
    with database.session() as session:
        events = {n.event for n in session.exec(select(Notice)).all()}
        assert {e for e in events if not e.startswith("ticket.")} == set(expected)


def test_a_failing_receiver_does_not_fail_the_scan(database, hooked, scan_now, receiver) -> None:  # noqa: F811
    receiver.statuses = [500] * 5  # scan.completed, gate.failed and the ticket it opened
    scan = scan_now(hooked)
    assert scan.status == ScanStatus.complete
    with database.session() as session:
        rows = session.exec(select(NoticeDelivery)).all()
        assert rows and {r.status for r in rows} == {DeliveryStatus.pending}  # left for the scheduler's retry
        assert all(not a.ok for a in session.exec(select(NoticeAttempt)).all())
