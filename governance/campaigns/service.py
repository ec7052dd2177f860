"""Campaigns: PMs create and close them; everyone reads them scoped; vendors see only their entries.

A vendor sees a campaign only if it covers one of its modules, and then only its own
modules' entries and a burn-up over them (never another vendor's module or count).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from governance import audit
from governance.access import can_manage, readable_module, require, visible_module_ids
from governance.campaigns.measure import BurnPoint, Measure, as_of, burn_up, history
from governance.campaigns.models import Campaign, CampaignGoal, CampaignModule, CampaignState
from governance.errors import Conflict, InvalidInput, NotFound, said
from governance.modeltypes import row_id
from governance.registry.models import Module, User, Vendor
from governance.timeutil import as_utc, utcnow
from standards.schema import SEVERITY_ORDER

MAX_ID = 2**31 - 1
LEVELS = ("A", "B", "C", "D", "E")


@dataclass(frozen=True)
class CampaignSpec:
    """What a PM asks for: a goal over modules by a deadline."""

    title: str
    goal: CampaignGoal
    deadline: date
    modules: tuple[str, ...]
    level: str | None = None
    standard: str | None = None
    severity: str | None = None


@dataclass(frozen=True)
class Entry:
    """One module of a campaign as the reader may see it, with where it stands now."""

    module: str
    vendor: str
    vendor_id: int
    now: Measure | None
    met_at_deadline: bool | None


@dataclass(frozen=True)
class CampaignView:
    campaign: Campaign
    entries: list[Entry]
    burn_up: list[BurnPoint]

    @property
    def met(self) -> int:
        return sum(1 for e in self.entries if e.now is not None and e.now.met)


def _validate(spec: CampaignSpec, today: date) -> None:
    if not 3 <= len(spec.title.strip()) <= 200:
        raise said(InvalidInput, "a campaign title has 3 to 200 characters")
    if spec.deadline <= today:
        raise said(InvalidInput, "the deadline %(day)s is not in the future", day=spec.deadline.isoformat())
    if not spec.modules:
        raise said(InvalidInput, "a campaign covers at least one module")
    if spec.goal == CampaignGoal.level and spec.level not in LEVELS:
        raise said(InvalidInput, "a level target is one of A-E")
    if spec.goal == CampaignGoal.no_findings and spec.severity not in SEVERITY_ORDER:
        raise said(
            InvalidInput,
            "a no-findings target names a severity: %(choices)s",
            choices=", ".join(SEVERITY_ORDER),
        )
    if spec.standard is not None and not re.fullmatch(r"[a-z][a-z0-9_-]{0,39}", spec.standard):
        raise said(InvalidInput, "unknown standard %(standard)s", standard=spec.standard)


def create_campaign(
    session: Session, *, user: User, spec: CampaignSpec, now: datetime | None = None
) -> Campaign:
    """A PM sets a target over modules with a deadline (audited)."""
    now = now or utcnow()
    require(can_manage(user), "create campaigns")
    _validate(spec, now.date())
    modules = [readable_module(session, user, key) for key in dict.fromkeys(spec.modules)]
    campaign = Campaign(
        title=spec.title.strip(),
        goal=spec.goal.value,
        level=spec.level if spec.goal == CampaignGoal.level else None,
        standard=spec.standard if spec.goal == CampaignGoal.level else None,
        severity=spec.severity if spec.goal == CampaignGoal.no_findings else None,
        deadline=spec.deadline,
        created_by=user.name,
        created_at=now,
    )
    session.add(campaign)
    session.flush()
    for module in modules:
        session.add(CampaignModule(campaign_id=row_id(campaign), module_id=row_id(module)))
    data = {
        "title": campaign.title,
        "goal": campaign.goal,
        "deadline": spec.deadline.isoformat(),
        "modules": [m.key for m in modules],
    }
    audit.record(
        session,
        actor=user.name,
        action="campaign.created",
        target_type="campaign",
        target_id=row_id(campaign),
        data=data,
    )
    return campaign


def _covered(session: Session, user: User, campaign_id: int) -> list[Module]:
    """The campaign's modules ``user`` may read."""
    visible = visible_module_ids(session, user)
    return list(
        session.exec(
            select(Module)
            .join(CampaignModule, col(CampaignModule.module_id) == col(Module.id))
            .where(CampaignModule.campaign_id == campaign_id, col(Module.id).in_(visible))
            .order_by(col(Module.key))
        ).all()
    )


def get_campaign(session: Session, *, user: User, campaign_id: int) -> Campaign:
    """A campaign covering at least one module ``user`` may read (otherwise a 404 like a typo)."""
    campaign = session.get(Campaign, campaign_id) if 1 <= campaign_id <= MAX_ID else None
    if campaign is None or not _covered(session, user, campaign_id):
        raise said(NotFound, "unknown campaign #%(id)s", id=campaign_id)
    return campaign


def list_campaigns(session: Session, *, user: User) -> list[Campaign]:
    """Campaigns over the reader's modules, active first, then by deadline."""
    ids = select(CampaignModule.campaign_id).where(
        col(CampaignModule.module_id).in_(visible_module_ids(session, user))
    )
    query = select(Campaign).where(col(Campaign.id).in_(ids))
    return list(
        session.exec(
            query.order_by(col(Campaign.state) != "active", col(Campaign.deadline), col(Campaign.id))
        ).all()
    )


def campaign_view(
    session: Session, *, user: User, campaign_id: int, now: datetime | None = None
) -> CampaignView:
    """The campaign with the reader's entries and a burn-up over them."""
    now = now or utcnow()
    campaign = get_campaign(session, user=user, campaign_id=campaign_id)
    modules = _covered(session, user, campaign_id)
    by_module = history(session, campaign, modules)
    results = {
        row.module_id: row.met
        for row in session.exec(select(CampaignModule).where(CampaignModule.campaign_id == campaign_id)).all()
    }
    vendors = {v.id: v.name for v in session.exec(select(Vendor)).all()}
    entries = [
        Entry(
            m.key,
            vendors.get(m.vendor_id, ""),
            m.vendor_id,
            as_of(by_module[row_id(m)], now),
            results.get(row_id(m)),
        )
        for m in modules
    ]
    end = min(now.date(), campaign.deadline)
    return CampaignView(campaign, entries, burn_up(by_module, as_utc(campaign.created_at).date(), end))


def close_campaign(
    session: Session, *, user: User, campaign_id: int, reason: str, now: datetime | None = None
) -> Campaign:
    """A PM ends a campaign before its deadline (no result is recorded)."""
    now = now or utcnow()
    campaign = get_campaign(session, user=user, campaign_id=campaign_id)
    require(can_manage(user), "close campaigns")
    if campaign.state != CampaignState.active:
        raise said(Conflict, "campaign #%(id)s is already %(state)s", id=campaign_id, state=campaign.state)
    if len(reason.strip()) < 10:
        raise said(InvalidInput, "a reason of at least %(count)s characters is needed", count=10)
    campaign.state, campaign.result_at = CampaignState.closed.value, now
    session.add(campaign)
    audit.record(
        session,
        actor=user.name,
        action="campaign.closed",
        target_type="campaign",
        target_id=campaign_id,
        data={"reason": reason.strip()},
    )
    return campaign
