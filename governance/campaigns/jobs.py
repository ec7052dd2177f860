"""The scheduler's campaign job: reminders before the deadline, the result recorded at it (once).

Judged on the scheduler's clock. A reminder goes to each vendor with a module not yet
meeting the target, 14, 7 and 1 days before the deadline (each once: the campaign keeps
which it sent). On the deadline day's end the result is recorded by a conditional update
(``active`` → ``done``), so with several schedulers exactly one records it and notifies.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from governance import audit
from governance.campaigns.measure import as_of, history
from governance.campaigns.models import Campaign, CampaignModule, CampaignState
from governance.db import Database
from governance.jobs import JobRunner
from governance.modeltypes import row_id
from governance.registry.models import Module
from governance.tickets import events

REMIND_DAYS = (14, 7, 1)
ACTOR = "scheduler"


def _modules(session: Session, campaign: Campaign) -> list[Module]:
    return list(
        session.exec(
            select(Module)
            .join(CampaignModule, col(CampaignModule.module_id) == col(Module.id))
            .where(CampaignModule.campaign_id == campaign.id)
        ).all()
    )


def _unmet_by_vendor(session: Session, campaign: Campaign, now: datetime) -> dict[int, list[str]]:
    modules = _modules(session, campaign)
    measured = history(session, campaign, modules)
    out: dict[int, list[str]] = {}
    for module in modules:
        found = as_of(measured[row_id(module)], now)
        if found is None or not found.met:
            out.setdefault(module.vendor_id, []).append(module.key)
    return out


def remind(session: Session, campaign: Campaign, now: datetime) -> int:
    """Send the reminder due today (if any, once); vendors reminded."""
    left = (campaign.deadline - now.date()).days
    due = [d for d in REMIND_DAYS if d >= left and d not in campaign.reminders]
    if not due or left < 0:
        return 0
    campaign.reminders = sorted({*campaign.reminders, *due})
    session.add(campaign)
    unmet = _unmet_by_vendor(session, campaign, now)
    for vendor_id, keys in sorted(unmet.items()):
        payload = {
            "campaign": campaign.id,
            "title": campaign.title,
            "deadline": campaign.deadline.isoformat(),
            "days_left": left,
            "modules": sorted(keys),
        }
        events.emit(session, event="campaign.reminder", module_id=None, vendor_id=vendor_id, payload=payload)
    return len(unmet)


def record_result(session: Session, campaign: Campaign, now: datetime) -> bool:
    """At the deadline: each module's result, once (False when another scheduler did it)."""
    claimed = session.execute(
        sa.update(Campaign)
        .where(col(Campaign.id) == campaign.id, col(Campaign.state) == CampaignState.active.value)
        .values(state=CampaignState.done.value, result_at=now)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]  # CursorResult of an UPDATE has it
        return False
    end = datetime.combine(campaign.deadline, time(23, 59, 59), tzinfo=UTC)
    modules = _modules(session, campaign)
    measured = history(session, campaign, modules)
    rows = list(session.exec(select(CampaignModule).where(CampaignModule.campaign_id == campaign.id)).all())
    for row in rows:
        found = as_of(measured.get(row.module_id, []), end)
        row.met, row.measured = (found is not None and found.met), (found.value if found else None)
        session.add(row)
    result = {"met": sum(1 for r in rows if r.met), "total": len(rows)}
    session.execute(sa.update(Campaign).where(col(Campaign.id) == campaign.id).values(result=result))
    audit.record(
        session,
        actor=ACTOR,
        action="campaign.result",
        target_type="campaign",
        target_id=row_id(campaign),
        data=result,
    )
    _notify_result(session, campaign, modules, {r.module_id: bool(r.met) for r in rows})
    return True


def _notify_result(session: Session, campaign: Campaign, modules: list[Module], met: dict[int, bool]) -> None:
    """One notice per vendor with its own modules only, and one for the PMs with the totals."""
    by_vendor: dict[int, list[Module]] = {}
    for module in modules:
        by_vendor.setdefault(module.vendor_id, []).append(module)
    base = {"campaign": campaign.id, "title": campaign.title, "deadline": campaign.deadline.isoformat()}
    for vendor_id, owned in sorted(by_vendor.items()):
        mine = {m.key: met.get(row_id(m), False) for m in owned}
        events.emit(
            session,
            event="campaign.deadline",
            module_id=None,
            vendor_id=vendor_id,
            payload={**base, "modules": mine},
        )
    total = {"met": sum(met.values()), "total": len(modules)}
    events.emit(session, event="campaign.deadline", module_id=None, vendor_id=None, payload={**base, **total})


def run_campaigns(session: Session, *, now: datetime) -> dict[str, list[int]]:
    """Reminders and deadline results for every active campaign; ids of each."""
    done: dict[str, list[int]] = {"reminded": [], "recorded": []}
    for campaign in session.exec(select(Campaign).where(Campaign.state == CampaignState.active.value)).all():
        if now.date() > campaign.deadline:
            if record_result(session, campaign, now):
                done["recorded"].append(row_id(campaign))
        elif remind(session, campaign, now):
            done["reminded"].append(row_id(campaign))
    return done


class CampaignJob(JobRunner):
    """The scheduler's pass over campaigns (hourly by default)."""

    name = "campaigns"

    def __init__(self, database: Database, *, every: timedelta = timedelta(hours=1)) -> None:
        super().__init__(every=every)
        self.database = database

    def run(self, now: datetime) -> dict[str, list[int]]:
        with self.database.session() as session:
            return run_campaigns(session, now=now)
