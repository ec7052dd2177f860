"""``/api/v1/…/evidence``: test and coverage reports uploaded by a vendor's CI; a scan's SBOM."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Path, Query, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field

from governance import access
from governance.errors import InvalidInput, NotFound, PermissionDenied, said
from governance.evidence import attestations, upload
from governance.evidence.models import Attestation, EvidenceFile, ScanEvidence
from governance.scans.models import Scan
from governance.scans.profiles import builtin_catalogue
from governance.timeutil import utcnow
from portal.deps import CurrentUser, DbSession
from portal.routes.api_common import ERRORS, MAX_ID, ScanId

AttestationId = Annotated[int, Path(ge=1, le=MAX_ID, description="Attestation id")]

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
        raise said(
            InvalidInput,
            "%(filename)s: more than the limit of %(max_upload_bytes)s bytes",
            filename=file.filename,
            max_upload_bytes=upload.MAX_UPLOAD_BYTES,
        )
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
    _token_only(request)
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
        raise said(NotFound, "unknown scan #%(id)s", id=scan_id)
    access.readable_module_by_id(session, user, scan.module_id)
    row = session.get(ScanEvidence, scan_id)
    if row is None or not row.sbom:
        raise said(NotFound, "scan #%(scan_id)s has no SBOM", scan_id=scan_id)
    return Response(
        row.sbom,
        media_type="application/vnd.cyclonedx+json",
        headers={"Content-Disposition": f'attachment; filename="scan-{scan_id}-sbom.cdx.json"'},
    )


class AttestationOut(BaseModel):
    """An attestation with its state today (``valid`` only while approved and unexpired)."""

    id: int
    module: str
    rule: str
    state: str
    statement: str
    filename: str
    sha256: str
    submitted_by: str
    submitted_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str
    expires_at: datetime | None

    @classmethod
    def of(cls, row: Attestation, module: str) -> AttestationOut:
        return cls(
            id=row.id or 0,
            module=module,
            rule=row.rule_id,
            state=attestations.state_on(row, utcnow()),
            statement=row.statement,
            filename=row.filename,
            sha256=row.sha256,
            submitted_by=row.submitted_by,
            submitted_at=row.submitted_at,
            decided_by=row.decided_by,
            decided_at=row.decided_at,
            decision_note=row.decision_note,
            expires_at=row.expires_at,
        )


class DecisionIn(BaseModel):
    approve: bool
    expires_at: datetime | None = None
    note: str = Field(default="", max_length=2000)


def _token_only(request: Request) -> None:
    if not getattr(request.state, "via_token", False):
        raise said(PermissionDenied, "API writes need a Bearer token")


@router.post(
    "/modules/{key}/attestations",
    response_model=AttestationOut,
    status_code=201,
    summary="Submit evidence for an attested rule (module's vendor, pm, admin)",
)
def submit_attestation(
    key: str,
    request: Request,
    file: UploadFile,
    session: DbSession,
    user: CurrentUser,
    rule: Annotated[str, Form(max_length=20)],
    statement: Annotated[str, Form(max_length=5000)],
) -> AttestationOut:
    _token_only(request)
    module = access.readable_module(session, user, key)
    access.require(access.can_submit_evidence(user, module), f"submit evidence for {key}")
    data = file.file.read(attestations.MAX_EVIDENCE_BYTES + 1)
    row = attestations.submit(
        session,
        module=module,
        rule_id=rule,
        statement=statement,
        filename=file.filename or "evidence",
        data=data,
        actor=user.name,
        catalogue=builtin_catalogue(),
    )
    return AttestationOut.of(row, module.key)


@router.get(
    "/modules/{key}/attestations", response_model=list[AttestationOut], summary="A module's attestations"
)
def list_attestations(key: str, session: DbSession, user: CurrentUser) -> list[AttestationOut]:
    module = access.readable_module(session, user, key)
    return [
        AttestationOut.of(r, module.key) for r in attestations.of_module(session, module_id=module.id or 0)
    ]


def _readable(session: DbSession, user: CurrentUser, ident: int) -> tuple[Attestation, str]:
    row = attestations.get(session, ident)
    try:
        module = access.readable_module_by_id(session, user, row.module_id)
    except NotFound:
        raise said(NotFound, "unknown attestation #%(attestation_id)s", attestation_id=ident) from None
    return row, module.key


@router.post(
    "/attestations/{ident}/decision",
    response_model=AttestationOut,
    summary="Approve (with expiry) or reject an attestation (the rule's approver role, admin)",
)
def decide_attestation(
    ident: AttestationId, body: DecisionIn, request: Request, session: DbSession, user: CurrentUser
) -> AttestationOut:
    _token_only(request)
    row, module = _readable(session, user, ident)
    check = attestations.attested_rule(builtin_catalogue(), row.rule_id)
    access.require(access.can_approve(user, check.approver_role), f"decide on {row.rule_id} evidence")
    decided = attestations.decide(
        session,
        attestation_id=ident,
        approve=body.approve,
        expires_at=body.expires_at,
        note=body.note,
        actor=user.name,
        now=utcnow(),
        catalogue=builtin_catalogue(),
    )
    return AttestationOut.of(decided, module)


@router.get("/attestations/{ident}/file", summary="The evidence file as submitted", response_class=Response)
def attestation_file(ident: AttestationId, session: DbSession, user: CurrentUser) -> Response:
    row, _ = _readable(session, user, ident)
    return Response(
        row.content,
        media_type="application/octet-stream",
        headers={
            "Content-Disposition": f'attachment; filename="{quote(row.filename)}"',
            "X-Content-SHA256": row.sha256,
        },
    )
