"""A commit's imported SARIF results as findings of its scan (step 5 of the scan, beside project checks).

For each tool, the newest import of the commit counts (a re-upload replaces the previous
one). Fingerprints are made exactly as for Govern's own scanners (rule + path + normalised
code of the line in this commit + occurrence), so imported findings are tracked across
scans (new / persisting / fixed) and carry waivers like any other.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session, col, select

from governance.evidence.models import SarifImport
from scanners._common import finalise
from scanners.base import Finding, ScanResult, SourceFile
from scanners.imported import imported_rule, imported_tool


def _draft(result: dict[str, object]) -> Finding:
    tool, rule = str(result["tool"]), str(result["rule"])
    line = int(str(result["line"]))
    return Finding(
        rule=imported_rule(tool, rule),
        tool=imported_tool(tool),
        tool_rule=rule,
        severity=result["severity"],  # type: ignore[arg-type]  # checked when imported
        path=str(result["path"]),
        line=line,
        end_line=max(int(str(result["end_line"])), line),
        message=str(result["message"]),
    )


def newest_results(rows: list[SarifImport]) -> list[dict[str, object]]:
    """Results of the newest import of each tool (``rows`` newest first)."""
    taken: set[str] = set()
    chosen: list[dict[str, object]] = []
    for row in rows:
        fresh = set(row.tools) - taken
        taken |= fresh
        chosen.extend(r for r in row.results if r["tool"] in fresh)
    return chosen


def imported_findings(
    session: Session, *, module_id: int, commit: str, read: Callable[[str], bytes]
) -> ScanResult:
    """Findings of the SARIF imports of ``commit``, fingerprinted against its files."""
    rows = session.exec(
        select(SarifImport)
        .where(SarifImport.module_id == module_id, SarifImport.commit_sha == commit)
        .order_by(col(SarifImport.id).desc())
    ).all()
    drafts = [_draft(result) for result in newest_results(list(rows))]
    paths = sorted({d.path for d in drafts if d.path})
    sources = {path: SourceFile(path, read(path)) for path in paths}
    return ScanResult(findings=finalise(drafts, sources))
