"""A campaign over a real module: burn-up from its scans, reminders once, the result recorded once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from governance.audit.models import AuditEvent
from governance.campaigns.jobs import CampaignJob, run_campaigns
from governance.campaigns.models import Campaign, CampaignGoal, CampaignModule
from governance.campaigns.service import CampaignSpec, campaign_view, create_campaign
from governance.errors import InvalidInput, NotFound, PermissionDenied
from governance.timeutil import utcnow
from tests.governance.tickets.test_loop import FIXED

pytestmark = pytest.mark.slow


def _spec(deadline) -> CampaignSpec:
    return CampaignSpec(
        title="No critical finding left",
        goal=CampaignGoal.no_findings,
        severity="critical",
        deadline=deadline,
        modules=("PAY",),
    )


def test_burn_up_reminders_and_the_result_at_the_deadline(
    database, pay_module, scan_now, vendor_repo, people, notices
) -> None:
    start = utcnow()
    scan_now(pay_module)
    deadline = (start + timedelta(days=20)).date()
    with database.session() as session:
        campaign = create_campaign(
            session, user=people["pm"], spec=_spec(deadline), now=start - timedelta(days=3)
        )
        cid = campaign.id
        view = campaign_view(session, user=people["vendor"], campaign_id=cid, now=utcnow())
    assert [p.met for p in view.burn_up] == [0, 0, 0, 0] and view.entries[0].now.value != "0"
    job = CampaignJob(database)
    assert job.execute(start + timedelta(days=3)).result == {"reminded": [], "recorded": []}
    assert job.execute(start + timedelta(days=6)).result["reminded"] == [cid], "14 days before the deadline"
    with database.session() as session:
        assert run_campaigns(session, now=start + timedelta(days=6, hours=1))["reminded"] == [], "once"
    reminder = [n for n in notices if n["event"] == "campaign.reminder"]
    assert len(reminder) == 1 and reminder[0]["modules"] == ["PAY"] and reminder[0]["vendor_id"] is not None

    vendor_repo.commit("PAY-2: no password, bound parameters", {"src/pay/core.py": FIXED})
    scan_now(pay_module)
    with database.session() as session:
        view = campaign_view(session, user=people["pm"], campaign_id=cid, now=utcnow())
    assert view.burn_up[-1].met == 1 and view.met == 1

    after = start + timedelta(days=21)
    with database.session() as session:
        assert run_campaigns(session, now=after)["recorded"] == [cid]
    with database.session() as session:
        assert run_campaigns(session, now=after + timedelta(hours=1))["recorded"] == [], "recorded once"
        done = session.get(Campaign, cid)
        row = session.exec(select(CampaignModule).where(CampaignModule.campaign_id == cid)).one()
        results = session.exec(select(AuditEvent).where(AuditEvent.action == "campaign.result")).all()
    assert done.state == "done" and done.result == {"met": 1, "total": 1} and row.met is True
    assert len(results) == 1
    deadline_notices = [n for n in notices if n["event"] == "campaign.deadline"]
    assert [n["vendor_id"] is None for n in deadline_notices] == [False, True]
    assert deadline_notices[0]["modules"] == {"PAY": True}


def test_who_may_create_and_see(database, pay_module, scan_now, people) -> None:
    deadline = (utcnow() + timedelta(days=10)).date()
    with database.session() as session, pytest.raises(PermissionDenied):
        create_campaign(session, user=people["vendor"], spec=_spec(deadline))
    with database.session() as session, pytest.raises(InvalidInput):
        create_campaign(session, user=people["pm"], spec=_spec(utcnow().date() - timedelta(days=1)))
    with database.session() as session:
        cid = create_campaign(session, user=people["pm"], spec=_spec(deadline)).id
    with database.session() as session, pytest.raises(NotFound):
        campaign_view(session, user=people["other"], campaign_id=cid)
    with database.session() as session:
        assert campaign_view(session, user=people["auditor"], campaign_id=cid).entries[0].module == "PAY"


def test_two_schedulers_record_the_result_once(database, pay_module, scan_now, people, notices) -> None:
    """Both loaded the campaign while it was active; the conditional update lets one record it."""
    from governance.campaigns.jobs import record_result

    scan_now(pay_module)
    start = utcnow()
    with database.session() as session:
        cid = create_campaign(session, user=people["pm"], spec=_spec((start + timedelta(days=5)).date())).id
    with database.session() as session:
        stale = session.get(Campaign, cid)
        session.expunge(stale)
    after = start + timedelta(days=6)
    with database.session() as first:
        assert record_result(first, first.get(Campaign, cid), after) is True
    with database.session() as second:
        assert record_result(second, second.merge(stale, load=False), after) is False
    assert [n["event"] for n in notices].count("campaign.deadline") == 2  # one vendor + the PMs, once
