"""``/api/v1/tickets`` and ``/api/v1/campaigns``: read scoped to the caller; writes need a Bearer token.

Thin: who may, validation, transitions and audit are in :mod:`governance.tickets` and
:mod:`governance.campaigns`, the same services the pages and the CLI call.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request

from governance.campaigns import service as campaigns
from governance.errors import PermissionDenied, said
from governance.tickets import actions
from governance.tickets.service import TicketFilter, list_tickets, ticket_detail
from portal.deps import CurrentUser, DbSession
from portal.routes.api_common import ERRORS, MAX_ID
from portal.schemas import ErrorOut
from portal.schemas_tickets import (
    AcceptIn,
    AnswerIn,
    CampaignDetailOut,
    CampaignIn,
    CampaignList,
    CampaignOut,
    CloseIn,
    ExtendIn,
    ReassignIn,
    TicketDetailOut,
    TicketList,
    TicketOut,
    WaiveIn,
)

router = APIRouter(prefix="/api/v1", tags=["tickets"], responses=ERRORS)
CONFLICT: dict[int | str, dict[str, Any]] = {
    409: {"model": ErrorOut, "description": "Not in a state for this"}
}
TicketId = Annotated[int, Path(ge=1, le=MAX_ID, description="Ticket id")]
CampaignId = Annotated[int, Path(ge=1, le=MAX_ID, description="Campaign id")]


def _token_only(request: Request) -> None:
    if not getattr(request.state, "via_token", False):
        raise said(PermissionDenied, "API writes need a Bearer token")


@router.get("/tickets", response_model=TicketList, summary="Tickets of the readable modules")
def tickets(
    session: DbSession,
    user: CurrentUser,
    module: Annotated[str | None, Query(max_length=40)] = None,
    state: Annotated[str | None, Query(max_length=12)] = None,
    vendor: Annotated[str | None, Query(max_length=120)] = None,
    overdue: bool = False,
) -> TicketList:
    where = TicketFilter(module=module, state=state, vendor=vendor, overdue=overdue)
    return TicketList(items=[TicketOut.of(r) for r in list_tickets(session, user=user, where=where)])


@router.get(
    "/tickets/{ticket_id}", response_model=TicketDetailOut, summary="A ticket with findings and thread"
)
def ticket(ticket_id: TicketId, session: DbSession, user: CurrentUser) -> TicketDetailOut:
    return TicketDetailOut.of_detail(ticket_detail(session, user=user, ticket_id=ticket_id))


def _detail(session: DbSession, user: CurrentUser, ticket_id: int) -> TicketDetailOut:
    session.commit()
    return TicketDetailOut.of_detail(ticket_detail(session, user=user, ticket_id=ticket_id))


@router.post("/tickets/{ticket_id}/answer", response_model=TicketDetailOut, responses=CONFLICT)
def answer(
    ticket_id: TicketId, body: AnswerIn, request: Request, session: DbSession, user: CurrentUser
) -> TicketDetailOut:
    """The vendor answers: a comment, a planned date, or "fixed" (verified by the next scan)."""
    _token_only(request)
    given = actions.Answer(comment=body.comment, planned=body.planned, fixed=body.fixed)
    actions.answer_ticket(session, user=user, ticket_id=ticket_id, answer=given)
    return _detail(session, user, ticket_id)


@router.post("/tickets/{ticket_id}/waivers", response_model=TicketDetailOut, responses=CONFLICT)
def waive(
    ticket_id: TicketId, body: WaiveIn, request: Request, session: DbSession, user: CurrentUser
) -> TicketDetailOut:
    """The vendor asks to waive the ticket's findings that still show (decided by a PM)."""
    _token_only(request)
    actions.request_ticket_waiver(session, user=user, ticket_id=ticket_id, reason=body.reason, kind=body.kind)
    return _detail(session, user, ticket_id)


@router.post("/tickets/{ticket_id}/reassign", response_model=TicketDetailOut, responses=CONFLICT)
def reassign(
    ticket_id: TicketId, body: ReassignIn, request: Request, session: DbSession, user: CurrentUser
) -> TicketDetailOut:
    """Give the ticket to another user of the module's vendor (pm, admin)."""
    _token_only(request)
    actions.reassign_ticket(session, user=user, ticket_id=ticket_id, assignee=body.assignee)
    return _detail(session, user, ticket_id)


@router.post("/tickets/{ticket_id}/extend", response_model=TicketDetailOut, responses=CONFLICT)
def extend(
    ticket_id: TicketId, body: ExtendIn, request: Request, session: DbSession, user: CurrentUser
) -> TicketDetailOut:
    """Move the due date later with a reason (pm, admin)."""
    _token_only(request)
    actions.extend_ticket(session, user=user, ticket_id=ticket_id, until=body.until, reason=body.reason)
    return _detail(session, user, ticket_id)


@router.post("/tickets/{ticket_id}/accept-risk", response_model=TicketDetailOut, responses=CONFLICT)
def accept_risk(
    ticket_id: TicketId, body: AcceptIn, request: Request, session: DbSession, user: CurrentUser
) -> TicketDetailOut:
    """Close as accepted risk through waivers (pm, admin); reopens when they expire."""
    _token_only(request)
    actions.accept_risk(session, user=user, ticket_id=ticket_id, reason=body.reason, until=body.until)
    return _detail(session, user, ticket_id)


@router.get("/campaigns", response_model=CampaignList, summary="Campaigns over the readable modules")
def campaign_list(session: DbSession, user: CurrentUser) -> CampaignList:
    rows = campaigns.list_campaigns(session, user=user)
    return CampaignList(items=[CampaignOut.model_validate(c, from_attributes=True) for c in rows])


@router.get(
    "/campaigns/{campaign_id}", response_model=CampaignDetailOut, summary="A campaign with its burn-up"
)
def campaign(campaign_id: CampaignId, session: DbSession, user: CurrentUser) -> CampaignDetailOut:
    return CampaignDetailOut.of_view(campaigns.campaign_view(session, user=user, campaign_id=campaign_id))


@router.post(
    "/campaigns", response_model=CampaignDetailOut, status_code=201, summary="Create a campaign (pm, admin)"
)
def create(body: CampaignIn, request: Request, session: DbSession, user: CurrentUser) -> CampaignDetailOut:
    _token_only(request)
    spec = campaigns.CampaignSpec(
        title=body.title,
        goal=body.goal,
        deadline=body.deadline,
        modules=tuple(body.modules),
        level=body.level,
        standard=body.standard,
        severity=body.severity,
    )
    made = campaigns.create_campaign(session, user=user, spec=spec)
    session.commit()
    return CampaignDetailOut.of_view(campaigns.campaign_view(session, user=user, campaign_id=made.id or 0))


@router.post("/campaigns/{campaign_id}/close", response_model=CampaignOut, responses=CONFLICT)
def close(
    campaign_id: CampaignId, body: CloseIn, request: Request, session: DbSession, user: CurrentUser
) -> CampaignOut:
    """End a campaign before its deadline (pm, admin)."""
    _token_only(request)
    closed = campaigns.close_campaign(session, user=user, campaign_id=campaign_id, reason=body.reason)
    session.commit()
    return CampaignOut.model_validate(closed, from_attributes=True)
