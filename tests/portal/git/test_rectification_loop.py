"""The whole loop over real git pushes and a real SMTP server: a vendor's push is scanned, the
failed gate opens a ticket that is e-mailed to the vendor, the vendor answers over the API,
pushes the fix, the next scan closes the ticket, and that is e-mailed too."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from sqlmodel import select

from governance.config import Settings
from governance.db import Database
from governance.notices.channels import Channels, HttpPoster, SmtpMailer
from governance.notices.dispatch import Dispatcher
from governance.notices.models import NoticePreference
from governance.registry.models import User
from governance.tickets.models import Ticket
from tests.governance.mirrors.conftest import VendorRepo
from tests.governance.notices.conftest import Clock, Inbox, smtp  # noqa: F401 - fixture
from tests.portal.git.conftest import World
from tests.portal.git.test_branch_scans import CLEAN, FLAWED, _run_queued
from tests.waiting import HANG_GUARD

pytestmark = pytest.mark.slow

VENDOR_MAIL = "huaxin-dev@huaxin.example"
OTHER_MAIL = "lianchuang-dev@lianchuang.example"


def _addresses(database: Database) -> None:
    """The BUD vendor's user and the other vendor's user read their notices by e-mail."""
    with database.session() as session:
        for name, address in (("huaxin", VENDOR_MAIL), ("lianchuang", OTHER_MAIL)):
            user = session.exec(select(User).where(User.name == name)).one()
            session.add(NoticePreference(user_id=user.id or 0, email=address))


def _tickets(database: Database) -> list[Ticket]:
    with database.session() as session:
        return list(session.exec(select(Ticket).order_by(Ticket.id)).all())


def test_push_ticket_mail_answer_fix_push_closed(
    server: str,
    world: World,
    vendor_repo: Callable[[str], VendorRepo],
    database: Database,
    settings: Settings,
    smtp: tuple[Inbox, int],  # noqa: F811
) -> None:
    inbox, port = smtp
    _addresses(database)
    poster = HttpPoster()
    dispatcher = Dispatcher(
        database,
        Channels(SmtpMailer("127.0.0.1", port, "govern@org.example", timeout=10.0), poster),
        clock=Clock(),
    )
    repo = vendor_repo("bud")
    url = world.url(server, "huaxin", "BUD")

    repo.commit("BUD-0001: first delivery", {"src/app.py": CLEAN})
    repo.git("push", url, "main")
    (clean,) = _run_queued(database, settings)
    repo.commit("BUD-0001: run scripts", {"src/app.py": FLAWED})
    repo.git("push", url, "main")
    (flawed,) = _run_queued(database, settings)
    assert clean.gate_passed is True and flawed.gate_passed is False

    [ticket] = _tickets(database)
    assert (ticket.state, ticket.cause, ticket.opened_scan_id) == ("open", "gate_failed", flawed.id)
    dispatcher.dispatch()
    mails = {m["Subject"]: m for m in inbox.to(VENDOR_MAIL)}
    assert sorted(mails) == ["Quality gate failed for BUD", "Rectification ticket opened for BUD"]
    opened = mails["Rectification ticket opened for BUD"].get_body(("plain",)).get_content()
    assert f"/tickets/{ticket.id}" in opened and "Ticket: 1" in opened
    assert inbox.to(OTHER_MAIL) == []  # another vendor hears nothing of it

    with httpx.Client(
        base_url=server, headers={"Authorization": f"Bearer {world.tokens['huaxin']}"}, timeout=HANG_GUARD
    ) as api:
        answered = api.post(
            f"/api/v1/tickets/{ticket.id}/answer",
            json={"comment": "eval removed in the next drop", "fixed": True},
        )
        assert answered.status_code == 200, answered.text
        assert answered.json()["state"] == "verifying"
        other = httpx.get(
            f"{server}/api/v1/tickets/{ticket.id}",
            headers={"Authorization": f"Bearer {world.tokens['lianchuang']}"},
            timeout=HANG_GUARD,
        )
        assert other.status_code == 404

    repo.commit("BUD-0001: no eval", {"src/app.py": CLEAN})
    repo.git("push", url, "main")
    (fixed,) = _run_queued(database, settings)
    assert fixed.gate_passed is True
    [closed] = _tickets(database)
    assert (closed.state, closed.close_reason, closed.last_scan_id) == ("closed", "fixed", fixed.id)
    dispatcher.dispatch()
    assert [m["Subject"] for m in inbox.to(VENDOR_MAIL)][2:] == ["Ticket closed for BUD"]
    assert inbox.to(OTHER_MAIL) == []
    poster.close()
