"""``/api/v1/audit``: the audit trail, newest first (admins and auditors only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from portal.deps import CurrentUser, DbSession
from portal.routes.api_common import ERRORS, Limit, Offset
from portal.schemas import AuditEventOut, AuditPage
from portal.services import audit_view

router = APIRouter(prefix="/api/v1/audit", tags=["audit"], responses=ERRORS)


@router.get("", response_model=AuditPage, summary="Audit events (admin and auditor)")
def list_events(
    session: DbSession,
    user: CurrentUser,
    action: Annotated[str | None, Query(max_length=80)] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> AuditPage:
    chosen = audit_view.AuditFilter(action=action)
    rows, total = audit_view.page_events(session, user=user, chosen=chosen, limit=limit, offset=offset)
    return AuditPage(items=[AuditEventOut.of(e) for e in rows], total=total, limit=limit, offset=offset)
