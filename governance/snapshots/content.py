"""What a review snapshot freezes, per module: the headline scan and everything it rests on.

Only stored values are read (no clock, no ordering left to the database), so the same
inputs always give the same content, byte for byte once serialised canonically.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sqlmodel import Session, col, select

from governance.audit.models import AuditEvent
from governance.config import Settings
from governance.evidence.models import ScanEvidence
from governance.registry.models import Module, Vendor
from governance.requirements.matrix import build_matrix
from governance.scans.models import Finding, Scan, StandardResult, Waiver
from governance.scans.profiles import judging_profile
from governance.scans.service import latest_complete
from governance.timeutil import as_utc
from standards.profiles import judging_content, profile_digest


def _time(value: object) -> str | None:
    return as_utc(value).isoformat() if value is not None else None  # type: ignore[arg-type]


def _scan(session: Session, scan: Scan) -> dict[str, Any]:
    evidence = session.get(ScanEvidence, scan.id)
    results = session.exec(
        select(StandardResult).where(StandardResult.scan_id == scan.id).order_by(col(StandardResult.standard))
    ).all()
    findings = session.exec(
        select(Finding).where(Finding.scan_id == scan.id).order_by(col(Finding.fingerprint), col(Finding.id))
    ).all()
    return {
        "id": scan.id,
        "commit": scan.commit_sha,
        "branch": scan.branch,
        "finished_at": _time(scan.finished_at),
        "profile": scan.profile,
        "profile_digest": scan.profile_digest,
        "score": scan.score,
        "level": scan.level,
        "gate_passed": scan.gate_passed,
        "gate": scan.gate,
        "tool_versions": evidence.tool_versions if evidence else {},
        "standards": [
            {"standard": r.standard, "score": r.score, "level": r.level, "rules": r.rules} for r in results
        ],
        "findings": [
            {
                "fingerprint": f.fingerprint,
                "rule": f.rule,
                "standard_rule": f.standard_rule,
                "tool": f.tool,
                "severity": f.severity,
                "path": f.path,
                "line": f.line,
                "state": str(f.state),
                "waived": f.waived,
            }
            for f in findings
        ],
    }


def _waivers(session: Session, module: Module) -> list[dict[str, Any]]:
    rows = session.exec(select(Waiver).where(Waiver.module_id == module.id).order_by(col(Waiver.id))).all()
    return [
        {
            "id": w.id,
            "kind": str(w.kind),
            "state": str(w.state),
            "fingerprint": w.fingerprint,
            "rule": w.rule,
            "reason": w.reason,
            "requested_by": w.requested_by,
            "approver": w.approver,
            "decided_at": _time(w.decided_at),
            "expires_at": _time(w.expires_at),
        }
        for w in rows
    ]


def module_content(session: Session, *, settings: Settings, module: Module) -> dict[str, Any]:
    """One module's frozen review: headline scan, effective profile and digest, waivers, matrix."""
    vendor = session.get(Vendor, module.vendor_id)
    profile = judging_profile(module, settings)
    scan = latest_complete(session, module_id=module.id or 0)
    matrix = build_matrix(session, module=module)
    return {
        "key": module.key,
        "vendor": vendor.name if vendor else None,
        "default_branch": module.default_branch,
        "profile": {"id": profile.id, "digest": profile_digest(profile), "judging": judging_content(profile)},
        "scan": _scan(session, scan) if scan is not None else None,
        "waivers": _waivers(session, module),
        "traceability": [asdict(row) for row in matrix.rows],
    }


def audit_head_at(session: Session, seq: int | None) -> dict[str, Any]:
    """The audit chain's head (or its event ``seq``): what the snapshot was taken after."""
    query = select(AuditEvent).order_by(col(AuditEvent.seq).desc())
    if seq is not None:
        query = select(AuditEvent).where(AuditEvent.seq == seq)
    event = session.exec(query).first()
    if event is None:
        return {"seq": 0, "hash": "0" * 64}
    return {"seq": event.seq, "hash": event.hash}
