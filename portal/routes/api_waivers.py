"""``/api/v1/modules/{key}/waivers``: request, approve, reject and revoke waivers; the PM queue.

Thin: every rule (who may, reasons, expiry limits, audit) is in :mod:`governance.waivers.service`,
the same one the pages and the CLI call. Writes need a Bearer token, as every API write does.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from sqlmodel import Session

from governance import access
from governance.errors import NotFound, PermissionDenied, said
from governance.registry.models import User
from governance.scans.models import Waiver, WaiverState
from governance.waivers import service as waivers
from portal.deps import CurrentUser, DbSession
from portal.routes.api_common import ERRORS, MAX_ID
from portal.schemas import ErrorOut
from portal.schemas_waivers import DecisionIn, WaiverIn, WaiverList, WaiverOut

router = APIRouter(prefix="/api/v1", tags=["waivers"], responses=ERRORS)
CONFLICT: dict[int | str, dict[str, Any]] = {
    409: {"model": ErrorOut, "description": "Already requested, or not in a state to decide"}
}


def _token_only(request: Request) -> None:
    if not getattr(request.state, "via_token", False):
        raise said(PermissionDenied, "API writes need a Bearer token")


def _of_module(session: Session, user: User, key: str, waiver_id: int) -> Waiver:
    if not 1 <= waiver_id <= MAX_ID:
        raise said(NotFound, "unknown waiver #%(waiver_id)s", waiver_id=waiver_id)
    module = access.readable_module(session, user, key)
    waiver = waivers.get_waiver(session, user=user, waiver_id=waiver_id)
    if waiver.module_id != module.id:
        raise said(NotFound, "unknown waiver #%(waiver_id)s", waiver_id=waiver_id)
    return waiver


@router.get("/modules/{key}/waivers", response_model=WaiverList, summary="Waivers of a module")
def module_waivers(
    key: str, session: DbSession, user: CurrentUser, state: WaiverState | None = None
) -> WaiverList:
    rows = waivers.list_waivers(session, user=user, module=key, state=state)
    return WaiverList(items=[WaiverOut.of(w, key) for w in rows])


@router.post(
    "/modules/{key}/waivers",
    response_model=WaiverOut,
    status_code=201,
    summary="Request a waiver (vendor of the module; a PM's own request is approved at once)",
    responses=CONFLICT,
)
def request_waiver(
    key: str, body: WaiverIn, request: Request, session: DbSession, user: CurrentUser
) -> WaiverOut:
    _token_only(request)
    asked = waivers.WaiverRequest(
        module=key, reason=body.reason, kind=body.kind, fingerprint=body.fingerprint, rule=body.rule
    )
    waiver = waivers.request_waiver(session, user=user, request=asked)
    session.commit()
    return WaiverOut.of(waiver, key)


def _decide(
    key: str, waiver_id: int, body: DecisionIn, request: Request, session: Session, user: User, approve: bool
) -> WaiverOut:
    _token_only(request)
    _of_module(session, user, key, waiver_id)
    waiver = waivers.decide_waiver(
        session,
        user=user,
        waiver_id=waiver_id,
        approve=approve,
        reason=body.reason,
        expires_at=body.expires_at,
    )
    session.commit()
    return WaiverOut.of(waiver, key)


@router.post("/modules/{key}/waivers/{waiver_id}/approve", response_model=WaiverOut, responses=CONFLICT)
def approve(
    key: str, waiver_id: int, body: DecisionIn, request: Request, session: DbSession, user: CurrentUser
) -> WaiverOut:
    """Approve a requested waiver with an expiry (pm, admin)."""
    return _decide(key, waiver_id, body, request, session, user, approve=True)


@router.post("/modules/{key}/waivers/{waiver_id}/reject", response_model=WaiverOut, responses=CONFLICT)
def reject(
    key: str, waiver_id: int, body: DecisionIn, request: Request, session: DbSession, user: CurrentUser
) -> WaiverOut:
    """Reject a requested waiver (pm, admin)."""
    return _decide(key, waiver_id, body, request, session, user, approve=False)


@router.post("/modules/{key}/waivers/{waiver_id}/revoke", response_model=WaiverOut, responses=CONFLICT)
def revoke(
    key: str, waiver_id: int, body: DecisionIn, request: Request, session: DbSession, user: CurrentUser
) -> WaiverOut:
    """Withdraw an approved waiver: the finding counts again from the next scan (pm, admin)."""
    _token_only(request)
    _of_module(session, user, key, waiver_id)
    waiver = waivers.revoke_waiver(session, user=user, waiver_id=waiver_id, reason=body.reason)
    session.commit()
    return WaiverOut.of(waiver, key)


@router.get("/waivers", response_model=WaiverList, summary="Waivers in one state over every readable module")
def queue(session: DbSession, user: CurrentUser, state: WaiverState = WaiverState.requested) -> WaiverList:
    rows = waivers.waiver_queue(session, user=user, state=state)
    return WaiverList(items=[WaiverOut.of(w, key) for w, key in rows])
