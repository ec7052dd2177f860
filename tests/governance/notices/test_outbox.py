"""The outbox: a notice row commits or rolls back with the caller's change, carries no secret."""

from __future__ import annotations

import pytest
from sqlmodel import select

from governance.errors import InvalidInput
from governance.notices.models import Notice
from governance.notices.outbox import enqueue
from governance.registry import service as registry
from scanners.wording import Wording


@pytest.fixture
def module_ids(database) -> dict[str, int]:
    with database.session() as session:
        registry.create_vendor(session, name="Acme Soft", actor="t")
        other = registry.create_vendor(session, name="Other Co", actor="t")
        module = registry.create_module(session, key="PAY", vendor="Acme Soft", actor="t")
        return {"module": module.id, "vendor": module.vendor_id, "other": other.id}


def test_notice_commits_with_the_change(database, module_ids) -> None:
    with database.session() as session:
        enqueue(
            session, event="ticket.opened", module_id=module_ids["module"], vendor_id=None, payload={"n": 1}
        )
    with database.session() as session:
        (notice,) = session.exec(select(Notice)).all()
    assert notice.event == "ticket.opened"
    assert notice.vendor_id == module_ids["vendor"]  # derived from the module
    assert notice.fanned_out_at is None and len(notice.event_id) == 36


def test_notice_rolls_back_with_the_change(database, module_ids) -> None:
    with pytest.raises(RuntimeError), database.session() as session:
        enqueue(session, event="gate.failed", module_id=module_ids["module"], vendor_id=None, payload={})
        raise RuntimeError("the state change failed")
    with database.session() as session:
        assert session.exec(select(Notice)).all() == []


def test_unknown_event_and_foreign_vendor_are_refused(database, module_ids) -> None:
    with database.session() as session:
        with pytest.raises(InvalidInput, match="unknown notice event"):
            enqueue(session, event="ticket.eaten", module_id=None, vendor_id=None, payload={})
        with pytest.raises(InvalidInput, match="another vendor"):
            enqueue(
                session,
                event="ticket.opened",
                module_id=module_ids["module"],
                vendor_id=module_ids["other"],
                payload={},
            )


def test_payload_carries_no_secret(database, module_ids) -> None:
    payload = {
        "remote": "https://bob:hunter2@git.example.com/pay.git",
        "token": "gov_abcdef",
        "nested": {"api_key": "k", "keep": 1},
        "findings": [
            {
                "rule": "bandit:B105",
                "message": "Possible hardcoded password: 'Finance@2023'",
                # a masked message's wording holds the secret unmasked: it is dropped
                "message_wording": Wording.verbatim("Possible hardcoded password: 'Finance@2023'").as_json(),
            }
        ],
    }
    with database.session() as session:
        enqueue(
            session, event="ticket.opened", module_id=module_ids["module"], vendor_id=None, payload=payload
        )
    with database.session() as session:
        stored = session.exec(select(Notice)).one().payload
    text = repr(stored)
    for secret in ("hunter2", "gov_abcdef", "Finance@2023", "api_key"):
        assert secret not in text
    assert stored["nested"] == {"keep": 1}
    assert "Fi******" in stored["findings"][0]["message"]


def test_once_key_makes_a_notice_happen_once(database, module_ids) -> None:
    for _ in range(2):
        with database.session() as session:
            enqueue(
                session,
                event="waiver.expiring",
                module_id=module_ids["module"],
                vendor_id=None,
                payload={"waiver": 7},
                once="waiver.expiring:7",
            )
    with database.session() as session:
        assert len(session.exec(select(Notice)).all()) == 1
