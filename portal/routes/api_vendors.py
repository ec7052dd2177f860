"""``/api/v1/vendors``: vendors the caller may know about (a vendor user sees only itself)."""

from __future__ import annotations

from fastapi import APIRouter

from portal.deps import CurrentUser, DbSession
from portal.routes.api_common import ERRORS
from portal.schemas import VendorOut
from portal.services import vendors as vendor_service

router = APIRouter(prefix="/api/v1/vendors", tags=["vendors"], responses=ERRORS)


@router.get("", response_model=list[VendorOut], summary="Vendors with their module counts")
def list_vendors(session: DbSession, user: CurrentUser) -> list[VendorOut]:
    return [VendorOut.of(s.vendor, len(s.modules)) for s in vendor_service.summaries(session, user=user)]
