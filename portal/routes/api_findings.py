"""``/api/v1/modules/{key}/findings``: a scan's findings, filtered, sorted, paginated and exported."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse
from sqlmodel import Session

from governance import access, audit
from governance.db import Database
from governance.errors import NotFound, said
from governance.registry.models import Module, User
from governance.scans.models import Scan
from portal.deps import CurrentUser, DatabaseDep, DbSession
from portal.routes.api_common import ERRORS, MAX_ID, Limit, Offset
from portal.routes.finding_query import FindingQuery
from portal.schemas import FindingOut, FindingPage
from portal.services import findings as findings_service
from portal.services import scans as scans_service
from reports import findings_export

router = APIRouter(prefix="/api/v1/modules", tags=["findings"], responses=ERRORS)
ScanParam = Annotated[int | None, Query(ge=1, le=MAX_ID, description="Scan id; default: the latest")]


def _chosen_scan(session: Session, user: User, module: Module, scan: int | None) -> Scan | None:
    if scan is None:
        return scans_service.latest_scan(session, module=module)
    chosen, owner = scans_service.readable_scan(session, user=user, scan_id=scan)
    if owner.id != module.id:
        raise said(NotFound, "unknown scan #%(id)s", id=scan)
    return chosen


@router.get("/{key}/findings", response_model=FindingPage, summary="Findings of a module's scan")
def module_findings(
    key: str,
    session: DbSession,
    user: CurrentUser,
    flt: FindingQuery,
    scan: ScanParam = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> FindingPage:
    module = access.readable_module(session, user, key)
    chosen = _chosen_scan(session, user, module, scan)
    if chosen is None:
        return FindingPage(scan_id=None, items=[], total=0, limit=limit, offset=offset)
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


@router.get(
    "/{key}/findings/export",
    summary="Every finding of the filtered list, as CSV or JSON",
    responses={200: {"content": {"text/csv": {}, "application/json": {}}}},
)
def export_findings(
    key: str,
    session: DbSession,
    database: DatabaseDep,
    user: CurrentUser,
    flt: FindingQuery,
    scan: ScanParam = None,
    format: Literal["csv", "json"] = "csv",
) -> StreamingResponse:
    """The same filter and order as the page, without pagination; CSV cells cannot run as formulas."""
    module = access.readable_module(session, user, key)
    chosen = _chosen_scan(session, user, module, scan)
    if chosen is None:
        raise said(NotFound, "module %(module)s has no complete scan", module=module.key)
    records = _records(database, module.id or 0, chosen.id or 0, flt)
    audit.record_read(
        session,
        reader=user.name,
        module=module.key,
        action="findings.export",
        detail={"scan": chosen.id, "format": format, "filter": flt.as_query()},
    )
    name = f"{module.key}-scan{chosen.id}-findings.{format}"
    chunks: Iterator[str]
    if format == "csv":
        chunks, media = findings_export.csv_chunks(records), "text/csv; charset=utf-8"
    else:
        meta = {"module": module.key, "scan": chosen.id, "filter": flt.as_query()}
        chunks, media = findings_export.json_chunks(records, meta=meta), "application/json"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return StreamingResponse(chunks, media_type=media, headers=headers)


def _records(
    database: Database, module_id: int, scan_id: int, flt: findings_service.FindingFilter
) -> Iterator[dict[str, object]]:
    """Export rows read in a session of their own: the request's is closed while the body streams."""
    with database.session() as session:
        scan = session.get(Scan, scan_id)
        assert scan is not None  # checked readable by the route, and complete scans stay
        index = findings_service.waiver_index(session, module_id=module_id)
        for finding in findings_service.iter_findings(session, scan=scan, flt=flt):
            yield findings_export.finding_record(finding, index.behind(finding))
