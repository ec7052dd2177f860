"""``/api/v1/scans/{id}``: one scan with its per-standard results and failing rules."""

from __future__ import annotations

from fastapi import APIRouter

from portal.deps import CurrentUser, DbSession
from portal.routes.api_common import ERRORS, ScanId
from portal.schemas import ScanDetailOut, ScanOut, StandardOut
from portal.services import scans as scans_service

router = APIRouter(prefix="/api/v1/scans", tags=["scans"], responses=ERRORS)


@router.get("/{scan_id}", response_model=ScanDetailOut, summary="One scan (404 if not visible)")
def get_scan(scan_id: ScanId, session: DbSession, user: CurrentUser) -> ScanDetailOut:
    scan, module = scans_service.readable_scan(session, user=user, scan_id=scan_id)
    results = scans_service.standard_results(session, scan_ids=[scan_id]).get(scan_id, {})
    return ScanDetailOut(
        **ScanOut.of(scan, module.key).model_dump(),
        reason=scan.reason,
        metrics=scan.metrics,
        standards=[StandardOut.of(r, with_rules=True) for r in results.values()],
    )
