"""Round trip: Govern's own SARIF (the reports writer) re-imported gives the same findings."""

from __future__ import annotations

import json
from collections.abc import Callable

from sqlmodel import select

from governance.config import Settings
from governance.db import Database
from governance.evidence.sarif_import import import_sarif
from governance.executors.local import InlineExecutor
from governance.registry.service import get_module
from governance.reporting.values import FindingRow
from governance.scans.models import Finding, Scan
from governance.scans.run import ScanRunner
from reports.render.sarif import SarifInput, problems, sarif_chunks
from scanners.registry import installed_rules


def _rows(findings: list[Finding]) -> list[FindingRow]:
    return [
        FindingRow(
            module="CAL",
            scan_id=f.scan_id,
            rule=f.rule,
            standard_rule=f.standard_rule,
            standard=f.standard,
            tool=f.tool,
            severity=f.severity,
            path=f.path,
            line=f.line,
            end_line=f.end_line,
            message=f.message,
            fingerprint=f.fingerprint,
            state=str(f.state),
            first_seen=f.first_seen_at,
        )
        for f in findings
    ]


def _key(rule: str, f: Finding) -> tuple[str, str, str, int, int, str]:
    return (rule, f.severity, f.path, f.line, max(f.line, f.end_line), f.message)


def test_govern_sarif_reimported_gives_the_same_findings(
    database: Database, settings: Settings, cal_module: str, scan_now: Callable[..., Scan]
) -> None:
    scan = scan_now(cal_module)
    with database.session() as session:
        native = list(session.exec(select(Finding).where(Finding.scan_id == scan.id)).all())
    assert native, "the calculator project has findings of Govern's own scanners"
    rows = _rows(native)
    text = "".join(
        sarif_chunks(
            SarifInput(rule_ids=[r.rule for r in rows], findings=rows), catalogue=installed_rules(), lang="en"
        )
    )
    assert problems(json.loads(text)) == []
    with database.session() as session:
        done = import_sarif(
            session,
            settings=settings,
            module=get_module(session, "CAL"),
            commit_sha=scan.commit_sha,
            filename="govern.sarif",
            data=text.encode(),
            actor="ci",
        )
    assert done.rescan is not None and done.row.tools == ["Govern"]
    again = ScanRunner(database, settings, InlineExecutor(), actor="test").run(done.rescan)
    with database.session() as session:
        found = list(session.exec(select(Finding).where(Finding.scan_id == again.id)).all())
    imported = [f for f in found if f.tool == "sarif:Govern"]
    assert sorted(_key(f.tool_rule, f) for f in imported) == sorted(_key(f.rule, f) for f in native)
    assert {f.rule for f in imported} == {f"sarif:Govern:{f.rule}" for f in native}
