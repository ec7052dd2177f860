"""The printable scan report: everything of one scan on one page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from governance import audit
from portal.deps import CurrentUser, DbSession
from portal.routes.api_common import ScanId
from portal.services import findings as findings_service
from portal.services import scans as scans_service
from portal.templating import render

router = APIRouter(include_in_schema=False)
REPORT_FINDINGS = 500


@router.get("/scans/{scan_id}")
def scan_report(request: Request, scan_id: ScanId, session: DbSession, user: CurrentUser) -> Response:
    scan, module = scans_service.readable_scan(session, user=user, scan_id=scan_id)
    results = scans_service.standard_results(session, scan_ids=[scan_id]).get(scan_id, {})
    rows, total = findings_service.page_findings(
        session, scan=scan, flt=findings_service.FindingFilter(), limit=REPORT_FINDINGS
    )
    counts = findings_service.open_by_severity(session, scan_ids=[scan_id])
    audit.record_read(
        session,
        reader=user.name,
        module=module.key,
        action="findings.report",
        detail={"scan": scan_id, "findings": len(rows)},
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
            "findings": rows,
            "total": total,
            "shown": len(rows),
            "counts": counts,
            "severities": findings_service.SEVERITIES,
        },
        user=user,
    )
