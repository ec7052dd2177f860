"""Writing a finished scan: findings, standard results and verdict in one transaction.

A scan is complete or absent: rows are added and the status flips to ``complete`` in
the same commit, so a crash before it leaves no partial findings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from governance import audit
from governance.modeltypes import row_id
from governance.scans.models import Finding, Scan, ScanStatus, StandardResult
from governance.scans.tracking import Tracking
from governance.timeutil import utcnow
from scanners.base import Finding as FindingValue
from scanners.secretmask import is_secret_rule, mask_message
from standards.results import Evaluation, RuleResult


def standard_of(evaluation: Evaluation) -> dict[str, tuple[str, str]]:
    """fingerprint -> (standards rule id, standard id) of the first rule that counts it."""
    owners: dict[str, tuple[str, str]] = {}
    for result in evaluation.rules:
        for fingerprint in (*result.fingerprints, *result.waived_fingerprints):
            owners.setdefault(fingerprint, (result.rule, result.standard))
    return owners


def finding_rows(
    scan: Scan, findings: list[FindingValue], tracking: Tracking, evaluation: Evaluation, waived: set[str]
) -> list[dict[str, Any]]:
    owners = standard_of(evaluation)
    rows = []
    for finding in findings:
        tracked = tracking.current[finding.fingerprint]
        rule, standard = owners.get(finding.fingerprint, (None, None))
        rows.append(
            {
                "scan_id": scan.id,
                "module_id": scan.module_id,
                "rule": finding.rule,
                "standard_rule": rule,
                "standard": standard,
                "tool": finding.tool,
                "tool_rule": finding.tool_rule,
                "severity": finding.severity,
                "path": finding.path,
                "line": finding.line,
                "end_line": finding.end_line,
                "message": mask_message(finding.rule, finding.message),  # rows never hold a secret
                "message_wording": stored_wording(finding),
                "fingerprint": finding.fingerprint,
                "state": tracked.state,
                "first_seen_at": tracked.first_seen,
                "waived": finding.fingerprint in waived,
            }
        )
    return rows


def stored_wording(finding: FindingValue) -> dict[str, Any] | None:
    """The stored wording of a message Govern wrote, never for a secret rule: such a message is
    shown only through the mask above, and a wording's values would go round it."""
    if finding.wording is None or is_secret_rule(finding.rule):
        return None
    return finding.wording.as_json()


def commit_scan(
    session: Session,
    *,
    scan: Scan,
    rows: list[dict[str, Any]],
    evaluation: Evaluation,
    metrics: Mapping[str, object],
    timings: Mapping[str, float],
    actor: str,
) -> Scan:
    """Write everything and mark the scan complete, in the caller's single transaction."""
    table = Finding.__table__  # type: ignore[attr-defined]
    for start in range(0, len(rows), 2000):
        session.execute(sa.insert(table), rows[start : start + 2000])
    for result in evaluation.standards:
        session.add(
            StandardResult(
                scan_id=row_id(scan),
                standard=result.standard,
                score=result.score,
                level=result.level,
                failed_rules=result.failed,
                rules=[_rule_json(r) for r in evaluation.rules if r.standard == result.standard],
            )
        )
    scan.status, scan.reason = ScanStatus.complete, None
    scan.profile_digest, scan.score, scan.level = (
        evaluation.profile_digest,
        evaluation.score,
        evaluation.level,
    )
    scan.gate_passed = evaluation.gate_passed
    scan.new_gate_passed = evaluation.new_code_passed
    scan.gate = gate_json(evaluation)
    scan.metrics, scan.timings = dict(metrics), dict(timings)
    scan.finished_at = utcnow()
    scan.lease_owner, scan.lease_expires_at = None, None
    session.add(scan)
    audit.record(
        session,
        actor=actor,
        action="scan.complete",
        target_type="scan",
        target_id=row_id(scan),
        data={
            "module_id": scan.module_id,
            "commit": scan.commit_sha,
            "score": scan.score,
            "level": scan.level,
            "gate_passed": scan.gate_passed,
            "findings": len(rows),
        },
    )
    return scan


def gate_json(evaluation: Evaluation) -> dict[str, Any]:
    """The verdict as stored on the scan: pass/fail and every condition as measured."""
    return {
        "passed": evaluation.gate_passed,
        "new_code_passed": evaluation.new_code_passed,
        "conditions": [asdict(c) for c in evaluation.gate],
    }


def _rule_json(result: RuleResult) -> dict[str, Any]:
    """A rule's result without the (possibly huge) fingerprint lists: findings rows hold those."""
    data = asdict(result)
    data.pop("fingerprints", None)
    data.pop("waived_fingerprints", None)
    return data
