"""Ticket pages: the list with filters, one ticket (thread, linked findings, the vendor's answer form,
the PM's actions). Every form posts with the CSRF token and calls :mod:`governance.tickets.actions`;
a refused step is shown as an error page and changes nothing.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from governance import access
from governance.errors import InvalidInput, said
from governance.scans.models import WaiverKind
from governance.tickets import actions
from governance.tickets.service import TicketFilter, finding_ids, list_tickets, ticket_detail
from governance.timeutil import parse_day
from portal.deps import CsrfChecked, CurrentUser, DbSession
from portal.routes.api_common import FindingId
from portal.templating import render

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form(max_length=4000)]
STATES = ("active", "open", "answered", "verifying", "reopened", "closed")


def _back(ticket_id: int) -> RedirectResponse:
    return RedirectResponse(f"/tickets/{ticket_id}", status_code=303)


@router.get("/tickets")
def ticket_list(
    request: Request,
    session: DbSession,
    user: CurrentUser,
    module: Annotated[str, Query(max_length=40)] = "",
    state: Annotated[str, Query(max_length=12)] = "active",
    vendor: Annotated[str, Query(max_length=120)] = "",
    overdue: bool = False,
) -> Response:
    where = TicketFilter(module=module or None, state=state or None, vendor=vendor or None, overdue=overdue)
    rows = list_tickets(session, user=user, where=where)
    context = {
        "rows": rows,
        "where": where,
        "states": STATES,
        "modules": [m.key for m in access.visible_modules(session, user)],
        "show_vendor": access.can_see_all_vendors(user),
    }
    return render(request, "tickets/list.html", context, user=user)


@router.get("/tickets/{ticket_id}")
def ticket_page(request: Request, ticket_id: FindingId, session: DbSession, user: CurrentUser) -> Response:
    detail = ticket_detail(session, user=user, ticket_id=ticket_id)
    context = {
        "d": detail,
        "t": detail.row.ticket,
        "links": finding_ids(session, detail.row.ticket),
        "may_manage": access.can_manage(user),
        "may_answer": access.is_vendor(user) or access.can_manage(user),
        "kinds": [k.value for k in WaiverKind],
    }
    return render(request, "tickets/detail.html", context, user=user)


@router.post("/tickets/{ticket_id}/answer")
def answer(
    ticket_id: FindingId,
    session: DbSession,
    user: CurrentUser,
    _csrf: CsrfChecked,
    comment: Text,
    planned: Annotated[str, Form(max_length=10)] = "",
    fixed: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    given = actions.Answer(comment=comment, planned=parse_day(planned), fixed=bool(fixed))
    actions.answer_ticket(session, user=user, ticket_id=ticket_id, answer=given)
    session.commit()
    return _back(ticket_id)


@router.post("/tickets/{ticket_id}/waive")
def waive(
    ticket_id: FindingId,
    session: DbSession,
    user: CurrentUser,
    _csrf: CsrfChecked,
    reason: Text,
    kind: Annotated[WaiverKind, Form()] = WaiverKind.false_positive,
) -> Response:
    actions.request_ticket_waiver(session, user=user, ticket_id=ticket_id, reason=reason, kind=kind)
    session.commit()
    return _back(ticket_id)


@router.post("/tickets/{ticket_id}/reassign")
def reassign(
    ticket_id: FindingId,
    session: DbSession,
    user: CurrentUser,
    _csrf: CsrfChecked,
    assignee: Annotated[str, Form(max_length=120)],
) -> Response:
    actions.reassign_ticket(session, user=user, ticket_id=ticket_id, assignee=assignee)
    session.commit()
    return _back(ticket_id)


@router.post("/tickets/{ticket_id}/extend")
def extend(
    ticket_id: FindingId,
    session: DbSession,
    user: CurrentUser,
    _csrf: CsrfChecked,
    until: Annotated[str, Form(max_length=10)],
    reason: Text,
) -> Response:
    day = parse_day(until)
    if day is None:
        raise said(InvalidInput, "a new due date is needed")
    actions.extend_ticket(session, user=user, ticket_id=ticket_id, until=day, reason=reason)
    session.commit()
    return _back(ticket_id)


@router.post("/tickets/{ticket_id}/accept-risk")
def accept_risk(
    ticket_id: FindingId,
    session: DbSession,
    user: CurrentUser,
    _csrf: CsrfChecked,
    reason: Text,
    until: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    actions.accept_risk(session, user=user, ticket_id=ticket_id, reason=reason, until=parse_day(until))
    session.commit()
    return _back(ticket_id)
