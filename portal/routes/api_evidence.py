"""``/api/v1/…/evidence``: test and coverage reports uploaded by a vendor's CI; a scan's SBOM."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel

from governance import access
from governance.errors import InvalidInput, NotFound, PermissionDenied
from governance.evidence import upload
from governance.evidence.models import EvidenceFile, ScanEvidence
from governance.scans.models import Scan
from portal.deps import CurrentUser, DbSession
from portal.routes.api_common import ERRORS, ScanId

router = APIRouter(prefix="/api/v1", tags=["evidence"], responses=ERRORS)


class EvidenceOut(BaseModel):
    """One uploaded report (its content is kept byte for byte; ``sha256`` identifies it)."""

    id: int
    module: str
    kind: str
    format: str
    commit: str
    filename: str
    sha256: str
    size: int
    uploaded_by: str
    uploaded_at: datetime
    counts: dict[str, int] | None = None
    coverage_percent: float | None = None

    @classmethod
    def of(cls, row: EvidenceFile, module: str) -> EvidenceOut:
        return cls(
            id=row.id or 0,
            module=module,
            kind=row.kind,
            format=row.format,
            commit=row.commit_sha,
            filename=row.filename,
            sha256=row.sha256,
            size=row.size,
            uploaded_by=row.uploaded_by,
            uploaded_at=row.uploaded_at,
            counts=row.summary.get("counts"),
            coverage_percent=row.summary.get("percent"),
        )


def _read(file: UploadFile) -> bytes:
    """At most the limit plus one byte: an oversized upload is refused without being read whole."""
    data = file.file.read(upload.MAX_UPLOAD_BYTES + 1)
    if len(data) > upload.MAX_UPLOAD_BYTES:
        raise InvalidInput(f"{file.filename}: more than the limit of {upload.MAX_UPLOAD_BYTES} bytes")
    return data


@router.post(
    "/modules/{key}/evidence",
    response_model=EvidenceOut,
    status_code=201,
    summary="Upload a JUnit or coverage report for one commit (vendor CI token, pm, admin)",
)
def upload_report(
    key: str,
    request: Request,
    file: UploadFile,
    session: DbSession,
    user: CurrentUser,
    commit: Annotated[str, Query(min_length=40, max_length=40, description="Full commit id")],
    kind: Annotated[str, Query(pattern="^(junit|coverage)$")],
) -> EvidenceOut:
    if not getattr(request.state, "via_token", False):
        raise PermissionDenied("API writes need a Bearer token")
    module = access.readable_module(session, user, key)
    access.require(access.can_submit_evidence(user, module), f"upload evidence for {key}")
    row = upload.upload_evidence(
        session,
        module=module,
        commit_sha=commit,
        kind=kind,
        filename=file.filename or "report",
        data=_read(file),
        actor=user.name,
    )
    return EvidenceOut.of(row, module.key)


@router.get("/modules/{key}/evidence", response_model=list[EvidenceOut], summary="A module's uploads")
def list_reports(key: str, session: DbSession, user: CurrentUser) -> list[EvidenceOut]:
    module = access.readable_module(session, user, key)
    return [EvidenceOut.of(r, module.key) for r in upload.list_evidence(session, module=module)]


@router.get(
    "/scans/{scan_id}/sbom",
    summary="The scan's CycloneDX SBOM (JSON)",
    response_class=Response,
    responses={200: {"content": {"application/vnd.cyclonedx+json": {}}}},
)
def scan_sbom(scan_id: ScanId, session: DbSession, user: CurrentUser) -> Response:
    scan = session.get(Scan, scan_id)
    if scan is None:
        raise NotFound(f"unknown scan #{scan_id}")
    access.readable_module_by_id(session, user, scan.module_id)
    row = session.get(ScanEvidence, scan_id)
    if row is None or not row.sbom:
        raise NotFound(f"scan #{scan_id} has no SBOM")
    return Response(
        row.sbom,
        media_type="application/vnd.cyclonedx+json",
        headers={"Content-Disposition": f'attachment; filename="scan-{scan_id}-sbom.cdx.json"'},
    )
