"""``/api/v1/modules``: the modules a caller may read, one module, its scans."""

from __future__ import annotations

from fastapi import APIRouter
from sqlmodel import select

from governance import access
from governance.registry.models import Vendor
from governance.registry.validation import redact_url
from portal.deps import CurrentUser, DbSession
from portal.routes.api_common import ERRORS, Limit, Offset
from portal.schemas import ModuleDetailOut, ModuleOut, ScanDetailOut, ScanOut, ScanPage, StandardOut
from portal.services import scans as scans_service

router = APIRouter(prefix="/api/v1/modules", tags=["modules"], responses=ERRORS)


@router.get("", response_model=list[ModuleOut], summary="Modules visible to the caller")
def list_modules(session: DbSession, user: CurrentUser) -> list[ModuleOut]:
    modules = access.visible_modules(session, user)
    vendors = {v.id: v.name for v in session.exec(access.scope_vendors(select(Vendor), user)).all()}
    return [ModuleOut.of(m, vendors.get(m.vendor_id, "")) for m in modules]


@router.get("/{key}", response_model=ModuleDetailOut, summary="One module with its latest scan")
def get_module(key: str, session: DbSession, user: CurrentUser) -> ModuleDetailOut:
    module = access.readable_module(session, user, key)
    vendor = session.get(Vendor, module.vendor_id)
    detail = ModuleDetailOut(
        **ModuleOut.of(module, vendor.name if vendor else "").model_dump(),
        remote=redact_url(module.remote) if module.remote else None,
        last_sync_message=module.last_sync_message,
    )
    scan = scans_service.latest_scan(session, module=module)
    if scan is not None:
        results = scans_service.standard_results(session, scan_ids=[scan.id or 0]).get(scan.id or 0, {})
        detail.latest_scan = ScanDetailOut(
            **ScanOut.of(scan, module.key).model_dump(),
            standards=[StandardOut.of(r) for r in results.values()],
        )
    return detail


@router.get("/{key}/scans", response_model=ScanPage, summary="A module's scans, newest first")
def module_scans(
    key: str, session: DbSession, user: CurrentUser, limit: Limit = 50, offset: Offset = 0
) -> ScanPage:
    module = access.readable_module(session, user, key)
    rows, total = scans_service.module_scans(session, module=module, limit=limit, offset=offset)
    return ScanPage(items=[ScanOut.of(s, module.key) for s in rows], total=total, limit=limit, offset=offset)
