"""The printable scan report: everything of one scan on one page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from governance import audit
from portal.deps import CurrentUser, DbSession
from portal.routes.api_common import ScanId
from portal.routes.finding_query import FindingQuery
from portal.services import findings as findings_service
from portal.services import scans as scans_service
from portal.templating import render

router = APIRouter(include_in_schema=False)
PAGE = 100


@router.get("/scans/{scan_id}")
def scan_report(
    request: Request,
    scan_id: ScanId,
    session: DbSession,
    user: CurrentUser,
    flt: FindingQuery,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    scan, module = scans_service.readable_scan(session, user=user, scan_id=scan_id)
    results = scans_service.standard_results(session, scan_ids=[scan_id]).get(scan_id, {})
    table = findings_service.findings_table(
        session, scan=scan, module=module, flt=flt, page=page, per_page=PAGE
    )
    counts = findings_service.open_by_severity(session, scan_ids=[scan_id])
    audit.record_read(
        session,
        reader=user.name,
        module=module.key,
        action="findings.report",
        detail={"scan": scan_id, "findings": len(table["findings"])},
    )
    return render(
        request,
        "scans/report.html",
        {
            "scan": scan,
            "module": module,
            "results": results,
            "standards": scans_service.STANDARDS,
            "failing": {name: scans_service.failing_rules(r) for name, r in results.items()},
            "counts": counts,
            **table,
        },
        user=user,
    )
