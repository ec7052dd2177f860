"""Campaign pages: the list (with the PM's create form) and one campaign with its burn-up chart."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from governance import access
from governance.campaigns import service as campaigns
from governance.campaigns.models import CampaignGoal
from governance.errors import InvalidInput, said
from governance.timeutil import parse_day
from portal.deps import CsrfChecked, CurrentUser, DbSession
from portal.routes.api_common import FindingId
from portal.svg import burn_up
from portal.templating import render

router = APIRouter(include_in_schema=False)
SEVERITIES = ("blocker", "critical", "major", "minor")


@router.get("/campaigns")
def campaign_list(request: Request, session: DbSession, user: CurrentUser) -> Response:
    context = {
        "rows": campaigns.list_campaigns(session, user=user),
        "may_manage": access.can_manage(user),
        "modules": [m.key for m in access.visible_modules(session, user)],
        "severities": SEVERITIES,
        "levels": campaigns.LEVELS,
    }
    return render(request, "campaigns/list.html", context, user=user)


@router.get("/campaigns/{campaign_id}")
def campaign_page(
    request: Request, campaign_id: FindingId, session: DbSession, user: CurrentUser
) -> Response:
    view = campaigns.campaign_view(session, user=user, campaign_id=campaign_id)
    points = [(p.day.isoformat(), p.met, p.total) for p in view.burn_up]
    context = {
        "v": view,
        "c": view.campaign,
        "chart": burn_up(points, label=view.campaign.title),
        "may_manage": access.can_manage(user),
    }
    return render(request, "campaigns/detail.html", context, user=user)


@router.post("/campaigns")
def create(
    session: DbSession,
    user: CurrentUser,
    _csrf: CsrfChecked,
    title: Annotated[str, Form(max_length=200)],
    deadline: Annotated[str, Form(max_length=10)],
    modules: Annotated[list[str], Form()],
    goal: Annotated[CampaignGoal, Form()],
    level: Annotated[str, Form(max_length=1)] = "",
    standard: Annotated[str, Form(max_length=40)] = "",
    severity: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    day = parse_day(deadline)
    if day is None:
        raise said(InvalidInput, "a deadline is needed")
    spec = campaigns.CampaignSpec(
        title=title,
        goal=goal,
        deadline=day,
        modules=tuple(modules),
        level=level or None,
        standard=standard or None,
        severity=severity or None,
    )
    made = campaigns.create_campaign(session, user=user, spec=spec)
    session.commit()
    return RedirectResponse(f"/campaigns/{made.id}", status_code=303)


@router.post("/campaigns/{campaign_id}/close")
def close(
    campaign_id: FindingId,
    session: DbSession,
    user: CurrentUser,
    _csrf: CsrfChecked,
    reason: Annotated[str, Form(max_length=2000)],
) -> Response:
    campaigns.close_campaign(session, user=user, campaign_id=campaign_id, reason=reason)
    session.commit()
    return RedirectResponse(f"/campaigns/{campaign_id}", status_code=303)
