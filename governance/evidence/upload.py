"""Uploading test and coverage reports for one commit of a module.

A report is parsed whole before anything is stored: a malformed, empty, hostile or
oversized file is refused with its reason and changes nothing. Accepted files are kept byte
for byte with their sha256, and the upload is audited.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from sqlmodel import Session, col, select

from governance import audit
from governance.errors import InvalidInput, said
from governance.evidence.coverage import parse_coverage
from governance.evidence.junit import parse_junit
from governance.evidence.models import EvidenceFile, SarifImport
from governance.registry.models import Module

KINDS = ("junit", "coverage")
MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # a JUnit report of 50,000 cases is about 10 MiB
_SHA = re.compile(r"^[0-9a-f]{40}$")


def _parsed(kind: str, data: bytes, filename: str) -> tuple[str, dict[str, Any]]:
    if kind == "junit":
        runs = parse_junit(data, filename=filename)
        counts: dict[str, int] = {}
        for run in runs:
            counts[run.outcome] = counts.get(run.outcome, 0) + 1
        return "junit", {"counts": counts, "tests": [r.as_dict() for r in runs]}
    report = parse_coverage(data, filename=filename)
    return report.format, report.as_dict()


def check_upload(*, kind: str, commit_sha: str, filename: str, data: bytes, max_bytes: int) -> None:
    """Refuse what cannot be evidence before reading it."""
    if kind not in KINDS:
        raise said(
            InvalidInput,
            "unknown evidence kind %(kind_name)s; use one of: %(kinds)s",
            kind_name=repr(kind),
            kinds=", ".join(KINDS),
        )
    check_file(commit_sha=commit_sha, filename=filename, data=data, max_bytes=max_bytes)


def stored_file(filename: str, data: bytes) -> dict[str, Any]:
    """The columns every file kept byte for byte has: its name (cut to the column), digest, size and bytes."""
    return {
        "filename": filename[-255:],
        "sha256": hashlib.sha256(data).hexdigest(),
        "size": len(data),
        "content": data,
    }


def check_file(*, commit_sha: str, filename: str, data: bytes, max_bytes: int) -> None:
    """Refuse a file for a commit before reading it: a full commit id, within the size limit, not empty."""
    if not _SHA.match(commit_sha):
        raise said(
            InvalidInput,
            "commit %(commit_sha)s is not a full 40-character commit id",
            commit_sha=repr(commit_sha),
        )
    if len(data) > max_bytes:
        raise said(
            InvalidInput,
            "%(filename)s: %(size)s bytes is more than the limit of %(max_bytes)s bytes",
            filename=filename,
            size=len(data),
            max_bytes=max_bytes,
        )
    if not data.strip():
        raise said(InvalidInput, "%(filename)s: the file is empty", filename=filename)


def upload_evidence(
    session: Session,
    *,
    module: Module,
    commit_sha: str,
    kind: str,
    filename: str,
    data: bytes,
    actor: str,
    max_bytes: int = MAX_UPLOAD_BYTES,
) -> EvidenceFile:
    """Store one parsed report for ``commit_sha`` of ``module`` (committed with its audit event)."""
    commit_sha = commit_sha.strip().lower()
    check_upload(kind=kind, commit_sha=commit_sha, filename=filename, data=data, max_bytes=max_bytes)
    fmt, summary = _parsed(kind, data, filename)
    row = EvidenceFile(
        module_id=module.id or 0,
        commit_sha=commit_sha,
        kind=kind,
        format=fmt,
        **stored_file(filename, data),
        summary=summary,
        uploaded_by=actor,
    )
    record_upload(session, row, module=module, actor=actor, action="evidence.upload", kind=kind, format=fmt)
    session.commit()
    session.refresh(row)
    return row


def record_upload(
    session: Session,
    row: EvidenceFile | SarifImport,
    *,
    module: Module,
    actor: str,
    action: str,
    **detail: Any,
) -> None:
    """Keep an uploaded file's row with its audit event, which always names the module, the
    commit and the file's digest (what an auditor matches the evidence by)."""
    audit.record_new(
        session,
        row,
        actor=actor,
        action=action,
        target_type="module",
        target_id=module.key,
        commit=row.commit_sha,
        sha256=row.sha256,
        **detail,
    )


def list_evidence(session: Session, *, module: Module, limit: int = 100) -> list[EvidenceFile]:
    """The module's uploads, newest first."""
    query = (
        select(EvidenceFile)
        .where(EvidenceFile.module_id == module.id)
        .order_by(col(EvidenceFile.uploaded_at).desc(), col(EvidenceFile.id).desc())
        .limit(limit)
    )
    return list(session.exec(query).all())
