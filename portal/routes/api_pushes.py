"""``/api/v1/modules/{key}/pushes`` (push log), ``/delivery`` (how to push), ``/scans`` POST (scan now)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from governance import access
from governance.mirrors import push_log
from governance.mirrors.delivery import delivery_for
from governance.modeltypes import row_id
from governance.scans.on_demand import scan_now
from portal.deps import CurrentUser, DbSession, SettingsDep
from portal.routes.api_common import ERRORS, Limit, Offset
from portal.routes.api_tokens import token_only
from portal.schemas_selfservice import PushPageOut, ScanQueuedOut

router = APIRouter(prefix="/api/v1/modules", tags=["pushes"], responses=ERRORS)


@router.get("/{key}/pushes", response_model=PushPageOut, summary="A module's pushes, accepted and refused")
def module_pushes(
    key: str,
    session: DbSession,
    user: CurrentUser,
    *,
    outcome: Annotated[str | None, Query(max_length=20, description="accepted or refused")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> PushPageOut:
    """Newest first; ``outcome`` filters accepted or refused pushes. A vendor reads its own modules only."""
    page = push_log.list_pushes(session, user=user, key=key, outcome=outcome, limit=limit, offset=offset)
    return PushPageOut(items=list(page.items), total=page.total, limit=limit, offset=offset)


@router.get("/{key}/delivery", summary="Clone/push URL and the push rules in force")
def module_delivery(
    key: str, request: Request, session: DbSession, user: CurrentUser, settings: SettingsDep
) -> Any:
    module = access.readable_module(session, user, key)
    card = delivery_for(module, base_url=settings.base_url or str(request.base_url))
    return asdict(card)


@router.post("/{key}/scans", response_model=ScanQueuedOut, status_code=202, summary="Scan now (PMs, admins)")
def queue_scan(
    key: str,
    request: Request,
    session: DbSession,
    user: CurrentUser,
    branch: Annotated[str | None, Query(max_length=200)] = None,
) -> ScanQueuedOut:
    """Queue a scan of the branch (default: the module's); a queued or running one absorbs the request."""
    token_only(request)
    scan, new = scan_now(session, user=user, key=key, branch=branch)
    session.commit()
    return ScanQueuedOut(
        scan_id=row_id(scan), module=key, branch=scan.branch, status=str(scan.status), new=new
    )
