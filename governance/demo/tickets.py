"""The demo's tickets and campaign: what the scans opened, then people acting on them.

The history's scans open a ticket for each module whose gate failed. Then: a vendor answers
its ticket with a planned date; a PM closes another as accepted risk (through waivers); the
ticket job flags what is past due; and a campaign "level B or better" runs over every
module, created a month ago so its burn-up has a history to show.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session, col, select

from governance.campaigns.models import CampaignGoal
from governance.campaigns.service import CampaignSpec, create_campaign
from governance.registry import service as registry
from governance.registry.models import Module
from governance.tickets.actions import Answer, accept_risk, answer_ticket
from governance.tickets.models import Ticket
from governance.tickets.sweep import sweep
from governance.timeutil import utcnow


def _ticket_of(session: Session, key: str) -> Ticket | None:
    module = registry.get_module(session, key)
    return session.exec(select(Ticket).where(Ticket.module_id == module.id).order_by(col(Ticket.id))).first()


def ticket_story(session: Session, *, answering: tuple[str, str], accepting: str) -> list[str]:
    """Act on the scans' tickets; lines for the CLI to print (``answering``: module and vendor user)."""
    now = utcnow()
    pm = registry.get_user(session, "pm")
    key, vendor_user = answering
    answered = _ticket_of(session, key)
    if answered is not None and answered.id is not None:
        answer = Answer(
            comment="Report and migrations are being reworked.", planned=date.today() + timedelta(days=14)
        )
        answer_ticket(
            session, user=registry.get_user(session, vendor_user), ticket_id=answered.id, answer=answer
        )
    closing = _ticket_of(session, accepting)
    if closing is not None and closing.id is not None:
        accept_risk(
            session,
            user=pm,
            ticket_id=closing.id,
            reason="module is replaced next quarter; risk accepted",
            now=now,
        )
    flagged = sweep(session, now=now).escalated
    keys = [m.key for m in session.exec(select(Module).order_by(col(Module.key))).all()]
    spec = CampaignSpec(
        title="Level B or better everywhere",
        goal=CampaignGoal.level,
        deadline=date.today() + timedelta(days=60),
        modules=tuple(keys),
        level="B",
    )
    campaign = create_campaign(session, user=pm, spec=spec, now=now - timedelta(days=30))
    states = session.exec(select(Ticket.state)).all()
    return [
        f"tickets: {sum(1 for s in states if s != 'closed')} open, {states.count('closed')} closed, "
        f"{len(flagged)} overdue (see /tickets)",
        f"campaign #{campaign.id}: {campaign.title} over {', '.join(keys)} (see /campaigns)",
    ]
