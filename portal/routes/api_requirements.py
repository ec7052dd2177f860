"""``/api/v1/requirements``: readable requirements, filtered and searched; one with its trace."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from sqlmodel import Session

from governance.errors import PermissionDenied, said
from governance.registry.models import User
from portal.deps import CurrentUser, DbSession
from portal.routes.api_common import ERRORS, Limit, Offset
from portal.schemas import (
    ErrorOut,
    LinkOut,
    MoveIn,
    RequirementDetailOut,
    RequirementOut,
    RequirementPage,
    TransitionOut,
)
from portal.services import requirement_moves
from portal.services import requirements as req_service

router = APIRouter(prefix="/api/v1/requirements", tags=["requirements"], responses=ERRORS)


@router.get("", response_model=RequirementPage, summary="Requirements (filter by module, status, text)")
def list_requirements(
    session: DbSession,
    user: CurrentUser,
    module: Annotated[str | None, Query(max_length=40, description="Module key")] = None,
    status: Annotated[str | None, Query(max_length=20)] = None,
    q: Annotated[str | None, Query(max_length=200, description="Search in key and title")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> RequirementPage:
    flt = req_service.RequirementFilter(module=module, status=status, q=q)
    rows, total = req_service.page_requirements(session, user=user, flt=flt, limit=limit, offset=offset)
    return RequirementPage(
        items=[RequirementOut.of(r, m.key) for r, m in rows], total=total, limit=limit, offset=offset
    )


@router.get("/{key}", response_model=RequirementDetailOut, summary="One requirement with history and links")
def get_requirement(key: str, session: DbSession, user: CurrentUser) -> RequirementDetailOut:
    return _detail(session, user, key)


@router.post(
    "/{key}/moves",
    response_model=RequirementDetailOut,
    summary="Move a requirement (pm, admin)",
    responses={409: {"model": ErrorOut, "description": "Not a legal move from the current status"}},
)
def move_requirement(
    key: str, body: MoveIn, request: Request, session: DbSession, user: CurrentUser
) -> RequirementDetailOut:
    """Writes through the API need a Bearer token: cookie sessions carry no CSRF token here."""
    if not getattr(request.state, "via_token", False):
        raise said(PermissionDenied, "API writes need a Bearer token")
    requirement_moves.move(session, user=user, key=key, to=body.to, reason=body.reason)
    session.commit()
    return _detail(session, user, key)


def _detail(session: Session, user: User, key: str) -> RequirementDetailOut:
    detail = req_service.readable_requirement(session, user=user, key=key)
    r = detail.requirement
    return RequirementDetailOut(
        **RequirementOut.of(r, detail.module.key).model_dump(),
        description=r.description,
        acceptance_criteria=r.acceptance_criteria,
        children=detail.children,
        transitions=[TransitionOut.of(t) for t in detail.history],
        links=[LinkOut.of(link) for link in detail.links],
    )
