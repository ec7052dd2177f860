"""A module's page (latest scan, standards, findings, history, sync) and one finding with its source."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from governance import access
from governance.errors import NotFound
from governance.registry.models import Vendor
from portal.deps import CurrentUser, DbSession, SettingsDep
from portal.routes.api_common import FindingId
from portal.services import findings as findings_service
from portal.services import scans as scans_service
from portal.services.source import lines_around
from portal.templating import render

router = APIRouter(include_in_schema=False)
PAGE = 50


@router.get("/modules/{key}")
def module_page(
    request: Request,
    key: str,
    session: DbSession,
    user: CurrentUser,
    standard: Annotated[str | None, Query(max_length=20)] = None,
    severity: Annotated[str | None, Query(max_length=10)] = None,
    state: Annotated[str | None, Query(max_length=12)] = None,
    path: Annotated[str | None, Query(max_length=1000)] = None,
    new_only: bool = False,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    module = access.readable_module(session, user, key)
    scan = scans_service.latest_scan(session, module=module)
    flt = findings_service.FindingFilter(
        standard=standard or None,
        severity=severity or None,
        state=state or None,
        path=path or None,
        new_only=new_only,
    )
    rows: list[findings_service.Finding] = []
    total = 0
    results = {}
    if scan is not None:
        rows, total = findings_service.page_findings(
            session, scan=scan, flt=flt, limit=PAGE, offset=(page - 1) * PAGE
        )
        results = scans_service.standard_results(session, scan_ids=[scan.id or 0]).get(scan.id or 0, {})
    history, _ = scans_service.module_scans(session, module=module, limit=20)
    return render(
        request,
        "modules/detail.html",
        {
            "module": module,
            "vendor": session.get(Vendor, module.vendor_id),
            "scan": scan,
            "results": results,
            "failing": {name: scans_service.failing_rules(r) for name, r in results.items()},
            "standards": scans_service.STANDARDS,
            "severities": findings_service.SEVERITIES,
            "findings": rows,
            "total": total,
            "page": page,
            "pages": max(1, -(-total // PAGE)),
            "flt": flt,
            "history": history,
        },
        user=user,
    )


@router.get("/modules/{key}/findings/{finding_id}")
def finding_page(
    request: Request,
    key: str,
    finding_id: FindingId,
    session: DbSession,
    user: CurrentUser,
    settings: SettingsDep,
) -> Response:
    module = access.readable_module(session, user, key)
    finding = session.get(findings_service.Finding, finding_id)
    if finding is None or finding.module_id != module.id:
        raise NotFound(f"unknown finding #{finding_id}")
    scan, _ = scans_service.readable_scan(session, user=user, scan_id=finding.scan_id)
    source = lines_around(
        settings.data_dir,
        module_key=module.key,
        commit=scan.commit_sha,
        path=finding.path,
        line=finding.line,
        end_line=finding.end_line,
    )
    return render(
        request,
        "modules/finding.html",
        {"module": module, "scan": scan, "finding": finding, "source": source},
        user=user,
    )
