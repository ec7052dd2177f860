"""``/api/v1/modules/{key}/findings``: a scan's findings, filtered and paginated."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from governance import access, audit
from governance.errors import NotFound
from governance.scans.models import FindingState
from portal.deps import CurrentUser, DbSession
from portal.routes.api_common import ERRORS, MAX_ID, Limit, Offset
from portal.schemas import FindingOut, FindingPage
from portal.services import findings as findings_service
from portal.services import scans as scans_service

router = APIRouter(prefix="/api/v1/modules", tags=["findings"], responses=ERRORS)


@router.get("/{key}/findings", response_model=FindingPage, summary="Findings of a module's scan")
def module_findings(
    key: str,
    session: DbSession,
    user: CurrentUser,
    scan: Annotated[int | None, Query(ge=1, le=MAX_ID, description="Scan id; default: the latest")] = None,
    standard: Annotated[str | None, Query(max_length=20)] = None,
    severity: Annotated[str | None, Query(max_length=10)] = None,
    state: FindingState | None = None,
    path: Annotated[str | None, Query(max_length=1000, description="Path prefix")] = None,
    new_only: bool = False,
    limit: Limit = 50,
    offset: Offset = 0,
) -> FindingPage:
    module = access.readable_module(session, user, key)
    if scan is None:
        chosen = scans_service.latest_scan(session, module=module)
    else:
        chosen, owner = scans_service.readable_scan(session, user=user, scan_id=scan)
        if owner.id != module.id:
            raise NotFound(f"unknown scan #{scan}")
    if chosen is None:
        return FindingPage(scan_id=None, items=[], total=0, limit=limit, offset=offset)
    flt = findings_service.FindingFilter(
        standard=standard,
        severity=severity,
        state=state.value if state else None,
        path=path,
        new_only=new_only,
    )
    rows, total = findings_service.page_findings(session, scan=chosen, flt=flt, limit=limit, offset=offset)
    audit.record_read(
        session,
        reader=user.name,
        module=module.key,
        action="findings.export",
        detail={"scan": chosen.id, "offset": offset, "findings": len(rows)},
    )
    return FindingPage(
        scan_id=chosen.id, items=[FindingOut.of(f) for f in rows], total=total, limit=limit, offset=offset
    )
