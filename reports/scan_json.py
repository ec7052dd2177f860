"""The scan result as a JSON document, in a versioned, documented schema.

The schema ships with the package (``reports/schemas/scan-result.v2.json``); the document
says which version it follows, so consumers (CI gates, dashboards) can rely on it.

Why it reads plain rows: a scan of a large tree has tens of thousands of findings, and
loading them as ORM objects (identity map, attribute instrumentation) was a visible part of
a no-change rescan's ``govern scan --json``. Findings are selected as columns in a stable
order (path, line, rule, fingerprint), and :func:`write_scan_json` streams them one per
line instead of building and indenting one giant document; the counts of the summary and
the fixed list are asked of the database, so nothing needs all the findings at once.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import lru_cache
from importlib.resources import files
from typing import Any, TextIO

import sqlalchemy as sa
from sqlmodel import Session, col, select

from governance.registry.models import Module, Vendor
from governance.scans.models import Finding, FindingState, Scan, StandardResult
from governance.scans.service import get_scan
from governance.timeutil import as_utc

SCHEMA_ID = "https://govern.example/schemas/scan-result.v2.json"
SCHEMA_VERSION = 2
_BATCH = 1000  # rows fetched at a time while streaming

_FINDING_COLUMNS = (
    col(Finding.rule),
    col(Finding.standard_rule),
    col(Finding.standard),
    col(Finding.tool),
    col(Finding.tool_rule),
    col(Finding.severity),
    col(Finding.path),
    col(Finding.line),
    col(Finding.end_line),
    col(Finding.message),
    col(Finding.fingerprint),
    col(Finding.state),
    col(Finding.first_seen_at),
    col(Finding.waived),
)
_ORDER = (col(Finding.path), col(Finding.line), col(Finding.rule), col(Finding.fingerprint))


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    """The JSON Schema of :func:`scan_document`."""
    text = files("reports").joinpath("schemas/scan-result.v2.json").read_text(encoding="utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


def _finding(row: sa.Row[Any]) -> dict[str, Any]:
    state = row.state
    return {
        "rule": row.rule,
        "standard_rule": row.standard_rule,
        "counts_toward_rule": row.standard_rule is not None,
        "standard": row.standard,
        "tool": row.tool,
        "tool_rule": row.tool_rule,
        "severity": row.severity,
        "path": row.path,
        "line": row.line,
        "end_line": row.end_line,
        "message": row.message,
        "fingerprint": row.fingerprint,
        "state": state.value if isinstance(state, FindingState) else str(state),
        "first_seen": as_utc(row.first_seen_at).isoformat(),
        "waived": bool(row.waived),
    }


def finding_records(session: Session, *, scan_id: int) -> Iterator[dict[str, Any]]:
    """The scan's findings as JSON-ready records, in (path, line, rule, fingerprint) order."""
    statement = sa.select(*_FINDING_COLUMNS).where(col(Finding.scan_id) == scan_id).order_by(*_ORDER)
    result = session.execute(statement.execution_options(yield_per=_BATCH))
    for row in result:
        yield _finding(row)


def _summary(session: Session, scan_id: int) -> dict[str, int]:
    """Counts of all, new and waived findings, asked of the database."""
    new = sa.case((col(Finding.state) == FindingState.new, 1), else_=0)
    waived = sa.case((col(Finding.waived), 1), else_=0)
    total, new_count, waived_count = session.execute(
        sa.select(sa.func.count(), sa.func.sum(new), sa.func.sum(waived)).where(
            col(Finding.scan_id) == scan_id
        )
    ).one()
    return {"findings": int(total or 0), "new": int(new_count or 0), "waived": int(waived_count or 0)}


def _fixed(session: Session, scan: Scan) -> list[dict[str, Any]]:
    """Findings of the baseline scan whose fingerprint this scan does not have."""
    baseline = scan.baseline_scan_id
    if not baseline:
        return []
    current = sa.select(col(Finding.fingerprint)).where(col(Finding.scan_id) == scan.id)
    rows = session.execute(
        sa.select(
            col(Finding.rule),
            col(Finding.path),
            col(Finding.line),
            col(Finding.message),
            col(Finding.fingerprint),
        )
        .where(col(Finding.scan_id) == baseline, col(Finding.fingerprint).not_in(current))
        .order_by(*_ORDER)
    )
    return [
        {"rule": r.rule, "path": r.path, "line": r.line, "message": r.message, "fingerprint": r.fingerprint}
        for r in rows
    ]


def _scan_part(scan: Scan) -> dict[str, Any]:
    return {
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
    }


def _standards(session: Session, scan_id: int) -> list[dict[str, Any]]:
    standards = session.exec(
        select(StandardResult).where(StandardResult.scan_id == scan_id).order_by(col(StandardResult.standard))
    ).all()
    return [
        {
            "id": s.standard,
            "score": s.score,
            "level": s.level,
            "failed_rules": s.failed_rules,
            "rules": s.rules,
        }
        for s in standards
    ]


def scan_head(session: Session, *, scan_id: int) -> dict[str, Any]:
    """The document without its findings (the key stays, empty): what a summary line needs."""
    scan = get_scan(session, scan_id)
    module = session.get(Module, scan.module_id)
    vendor = session.get(Vendor, module.vendor_id) if module else None
    return {
        "$schema": SCHEMA_ID,
        "schema_version": SCHEMA_VERSION,
        "scan": _scan_part(scan),
        "module": {"key": module.key if module else None, "vendor": vendor.name if vendor else None},
        "metrics": scan.metrics,
        "summary": _summary(session, scan_id),
        "findings": [],
        "fixed": _fixed(session, scan),
        "standards": _standards(session, scan_id),
        "gate": {
            "passed": scan.gate_passed,
            "new_code_passed": scan.new_gate_passed,
            "score": scan.score,
            "level": scan.level,
            "conditions": (scan.gate or {}).get("conditions", []),
        },
    }


def scan_document(session: Session, *, scan_id: int) -> dict[str, Any]:
    """Everything one scan found and decided, JSON-ready."""
    document = scan_head(session, scan_id=scan_id)
    document["findings"] = list(finding_records(session, scan_id=scan_id))
    return document


def write_scan_json(session: Session, out: TextIO, *, scan_id: int) -> dict[str, Any]:
    """Write the document to ``out``, one finding per line as they are read; returns the head.

    The output is the same JSON document as :func:`scan_document` (same keys, same order);
    only its layout differs: each top-level key on its own line, each finding on its own.
    """
    head = scan_head(session, scan_id=scan_id)
    out.write("{\n")
    keys = list(head)
    for position, key in enumerate(keys):
        out.write(f"  {json.dumps(key)}: ")
        if key == "findings":
            _write_findings(session, out, scan_id)
        else:
            out.write(json.dumps(head[key], ensure_ascii=False))
        out.write(",\n" if position < len(keys) - 1 else "\n")
    out.write("}\n")
    return head


def _write_findings(session: Session, out: TextIO, scan_id: int) -> None:
    separator = "[\n    "
    for record in finding_records(session, scan_id=scan_id):
        out.write(separator + json.dumps(record, ensure_ascii=False))
        separator = ",\n    "
    out.write("[]" if separator.startswith("[") else "\n  ]")
