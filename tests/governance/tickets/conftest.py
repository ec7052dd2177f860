"""Tickets are tested on real scans of a real vendor repository (the scans fixtures) over real git."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from governance.registry import service as registry
from governance.registry.models import User
from governance.tickets import events
from tests.governance.scans.conftest import pay_module, scan_now, vendor_repo  # noqa: F401


@pytest.fixture
def people(database, pay_module) -> dict[str, User]:  # noqa: F811
    """A vendor user of the module's vendor, one of another vendor, a PM and an auditor."""
    with database.session() as session:
        registry.create_vendor(session, name="Other Co", actor="test")
        made = {
            "vendor": registry.create_user(
                session, name="acme-dev", role="vendor", vendor="Acme Soft", actor="t"
            ),
            "vendor2": registry.create_user(
                session, name="acme-lead", role="vendor", vendor="Acme Soft", actor="t"
            ),
            "other": registry.create_user(
                session, name="other-dev", role="vendor", vendor="Other Co", actor="t"
            ),
            "pm": registry.create_user(session, name="pm", role="pm", actor="t"),
            "auditor": registry.create_user(session, name="aud", role="auditor", actor="t"),
        }
        for user in made.values():
            session.expunge(user)
    return made


@pytest.fixture
def notices(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[dict[str, Any]]]:
    """Every notice queued (the outbox's enqueue is recorded instead)."""
    sent: list[dict[str, Any]] = []

    def record(session, *, event, module_id, vendor_id, payload) -> None:
        sent.append({"event": event, "module_id": module_id, "vendor_id": vendor_id, **payload})

    monkeypatch.setattr(events, "_enqueue", record)
    yield sent
