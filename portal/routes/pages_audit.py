"""The audit trail as a page (admins and auditors)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from portal.deps import CurrentUser, DbSession
from portal.services import audit_view
from portal.templating import render

router = APIRouter(include_in_schema=False)
PAGE = 100


@router.get("/audit")
def audit_page(
    request: Request,
    session: DbSession,
    user: CurrentUser,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    reads: Annotated[bool, Query(description="Only source access: who read which module")] = False,
) -> Response:
    rows, total = audit_view.page_events(
        session, user=user, reads_only=reads, limit=PAGE, offset=(page - 1) * PAGE
    )
    return render(
        request,
        "audit/index.html",
        {
            "events": rows,
            "total": total,
            "page": page,
            "pages": max(1, -(-total // PAGE)),
            "reads": reads,
            "labels": audit_view.READ_LABELS,
        },
        user=user,
    )
