"""The scan result as a JSON document, in a versioned, documented schema.

The schema ships with the package (``reports/schemas/scan-result.v2.json``); the document
says which version it follows, so consumers (CI gates, dashboards) can rely on it.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib.resources import files
from typing import Any

from sqlmodel import Session, col, select

from governance.registry.models import Module, Vendor
from governance.scans.models import Finding, Scan, StandardResult
from governance.scans.service import get_scan
from governance.timeutil import as_utc

SCHEMA_ID = "https://govern.example/schemas/scan-result.v2.json"
SCHEMA_VERSION = 2


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    """The JSON Schema of :func:`scan_document`."""
    text = files("reports").joinpath("schemas/scan-result.v2.json").read_text(encoding="utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


def _finding(row: Finding) -> dict[str, Any]:
    return {
        "rule": row.rule,
        "standard_rule": row.standard_rule,
        "standard": row.standard,
        "tool": row.tool,
        "tool_rule": row.tool_rule,
        "severity": row.severity,
        "path": row.path,
        "line": row.line,
        "end_line": row.end_line,
        "message": row.message,
        "fingerprint": row.fingerprint,
        "state": row.state.value,
        "first_seen": as_utc(row.first_seen_at).isoformat(),
        "waived": row.waived,
    }


def _fixed(session: Session, scan: Scan, current: set[str]) -> list[dict[str, Any]]:
    baseline = scan.baseline_scan_id
    if not baseline:
        return []
    rows = session.exec(select(Finding).where(Finding.scan_id == baseline)).all()
    return [
        {"rule": r.rule, "path": r.path, "line": r.line, "message": r.message, "fingerprint": r.fingerprint}
        for r in rows
        if r.fingerprint not in current
    ]


def scan_document(session: Session, *, scan_id: int) -> dict[str, Any]:
    """Everything one scan found and decided, JSON-ready."""
    scan = get_scan(session, scan_id)
    module = session.get(Module, scan.module_id)
    vendor = session.get(Vendor, module.vendor_id) if module else None
    rows = session.exec(
        select(Finding)
        .where(Finding.scan_id == scan.id)
        .order_by(col(Finding.path), col(Finding.line), col(Finding.rule))
    ).all()
    standards = session.exec(
        select(StandardResult).where(StandardResult.scan_id == scan.id).order_by(col(StandardResult.standard))
    ).all()
    findings = [_finding(r) for r in rows]
    return {
        "$schema": SCHEMA_ID,
        "schema_version": SCHEMA_VERSION,
        "scan": {
            "id": scan.id,
            "status": scan.status.value,
            "trigger": scan.trigger,
            "branch": scan.branch,
            "commit": scan.commit_sha,
            "profile": scan.profile,
            "profile_digest": scan.profile_digest,
            "baseline_scan": scan.baseline_scan_id,
            "started_at": as_utc(scan.started_at).isoformat() if scan.started_at else None,
            "finished_at": as_utc(scan.finished_at).isoformat() if scan.finished_at else None,
            "timings": scan.timings,
        },
        "module": {"key": module.key if module else None, "vendor": vendor.name if vendor else None},
        "metrics": scan.metrics,
        "summary": {
            "findings": len(findings),
            "new": sum(1 for f in findings if f["state"] == "new"),
            "waived": sum(1 for f in findings if f["waived"]),
        },
        "findings": findings,
        "fixed": _fixed(session, scan, {f["fingerprint"] for f in findings}),
        "standards": [
            {
                "id": s.standard,
                "score": s.score,
                "level": s.level,
                "failed_rules": s.failed_rules,
                "rules": s.rules,
            }
            for s in standards
        ],
        "gate": {
            "passed": scan.gate_passed,
            "new_code_passed": scan.new_gate_passed,
            "score": scan.score,
            "level": scan.level,
            "conditions": (scan.gate or {}).get("conditions", []),
        },
    }
