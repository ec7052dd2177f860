"""Vendors: a per-vendor summary across its modules (vendor users see only their own)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from portal.deps import CurrentUser, DbSession
from portal.services import vendors as vendor_service
from portal.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/vendors")
def vendors_page(request: Request, session: DbSession, user: CurrentUser) -> Response:
    return render(
        request, "vendors/index.html", {"summaries": vendor_service.summaries(session, user=user)}, user=user
    )
