"""Waiver pages: request from a finding, a module's waivers, the PM queue; decide and revoke forms.

Every form posts with the CSRF token and calls :mod:`governance.waivers.service` (which checks
who may and writes the audit event); a refused step is shown as an error page and changes nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from governance import access
from governance.errors import NotFound, said
from governance.scans.models import Finding, WaiverKind, WaiverState
from governance.timeutil import parse_day
from governance.waivers import service as waivers
from portal.deps import CsrfChecked, CurrentUser, DbSession
from portal.routes.api_common import FindingId
from portal.templating import render

router = APIRouter(include_in_schema=False)
Reason = Annotated[str, Form(max_length=2000)]


def _back(target: str) -> str:
    """Only same-site paths: a form's ``next`` can never send the reader elsewhere."""
    return target if target.startswith("/") and not target.startswith("//") else "/waivers"


def _expiry(text: str) -> datetime | None:
    """An ``<input type=date>`` value as the end of that day (UTC); empty means the default."""
    day = parse_day(text, "expiry date")
    if day is None:
        return None
    return datetime.combine(day, time(23, 59, 59), tzinfo=UTC)


@router.post("/modules/{key}/findings/{finding_id}/waivers")
def request_from_finding(
    key: str,
    finding_id: FindingId,
    session: DbSession,
    user: CurrentUser,
    _csrf: CsrfChecked,
    kind: Annotated[WaiverKind, Form()],
    reason: Reason,
) -> Response:
    module = access.readable_module(session, user, key)
    finding = session.get(Finding, finding_id)
    if finding is None or finding.module_id != module.id:
        raise said(NotFound, "unknown finding #%(finding_id)s", finding_id=finding_id)
    request = waivers.WaiverRequest(module=key, reason=reason, kind=kind, fingerprint=finding.fingerprint)
    waivers.request_waiver(session, user=user, request=request)
    session.commit()
    return RedirectResponse(f"/modules/{key}/findings/{finding_id}", status_code=303)


@router.get("/modules/{key}/waivers")
def module_waivers(request: Request, key: str, session: DbSession, user: CurrentUser) -> Response:
    module = access.readable_module(session, user, key)
    rows = [(w, module.key) for w in waivers.list_waivers(session, user=user, module=key)]
    return render(
        request,
        "waivers/list.html",
        {
            "module": module,
            "rows": rows,
            "may_decide": access.can_manage(user),
            "here": f"/modules/{key}/waivers",
        },
        user=user,
    )


@router.get("/waivers")
def queue(request: Request, session: DbSession, user: CurrentUser) -> Response:
    rows = waivers.waiver_queue(session, user=user, state=WaiverState.requested)
    return render(
        request,
        "waivers/list.html",
        {"module": None, "rows": rows, "may_decide": access.can_manage(user), "here": "/waivers"},
        user=user,
    )


@router.post("/waivers/{waiver_id}/decide")
def decide(
    waiver_id: FindingId,
    session: DbSession,
    user: CurrentUser,
    _csrf: CsrfChecked,
    decision: Annotated[str, Form(pattern="^(approve|reject)$")],
    reason: Reason,
    expires: Annotated[str, Form(max_length=10)] = "",
    next_: Annotated[str, Form(alias="next", max_length=300)] = "/waivers",
) -> Response:
    waivers.decide_waiver(
        session,
        user=user,
        waiver_id=waiver_id,
        approve=decision == "approve",
        reason=reason,
        expires_at=_expiry(expires),
    )
    session.commit()
    return RedirectResponse(_back(next_), status_code=303)


@router.post("/waivers/{waiver_id}/revoke")
def revoke(
    waiver_id: FindingId,
    session: DbSession,
    user: CurrentUser,
    _csrf: CsrfChecked,
    reason: Reason,
    next_: Annotated[str, Form(alias="next", max_length=300)] = "/waivers",
) -> Response:
    waivers.revoke_waiver(session, user=user, waiver_id=waiver_id, reason=reason)
    session.commit()
    return RedirectResponse(_back(next_), status_code=303)
