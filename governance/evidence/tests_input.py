"""The test and coverage evidence of one commit, as facts for its scan.

Only reports uploaded for exactly the scanned commit count. The newest upload of another
commit is reported as *stale* (shown, never counted), so a page can say "results are for
an older commit" instead of silently using them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from governance.evidence.matching import file_coverage, test_targets
from governance.evidence.models import EvidenceFile


@dataclass(frozen=True)
class TestEvidence:
    """Test outcomes by target, coverage, and which uploads were used or are stale."""

    __test__ = False

    results: dict[str, str] | None = None
    coverage_percent: float | None = None
    file_coverage: dict[str, float] = field(default_factory=dict)
    used: tuple[int, ...] = ()
    stale: tuple[int, ...] = ()


def _uploads(session: Session, module_id: int, commit_sha: str | None) -> list[EvidenceFile]:
    query = select(EvidenceFile).where(EvidenceFile.module_id == module_id)
    query = query.where(EvidenceFile.commit_sha == commit_sha) if commit_sha else query
    return list(session.exec(query.order_by(col(EvidenceFile.id))).all())


def _stale(session: Session, module_id: int, commit_sha: str) -> tuple[int, ...]:
    query = (
        select(EvidenceFile.id, EvidenceFile.kind)
        .where(EvidenceFile.module_id == module_id, EvidenceFile.commit_sha != commit_sha)
        .order_by(col(EvidenceFile.id).desc())
        .limit(50)
    )
    newest: dict[str, int] = {}
    for evidence_id, kind in session.exec(query).all():
        newest.setdefault(kind, evidence_id or 0)
    return tuple(sorted(newest.values()))


def test_evidence(session: Session, *, module_id: int, commit_sha: str, paths: Sequence[str]) -> TestEvidence:
    """Evidence of ``commit_sha``: every JUnit report merged, the newest coverage report."""
    uploads = _uploads(session, module_id, commit_sha)
    junit = [u for u in uploads if u.kind == "junit"]
    coverage = [u for u in uploads if u.kind == "coverage"]
    results = None
    if junit:
        results = test_targets([t for u in junit for t in u.summary.get("tests", [])], paths)
    percent, per_file = None, {}
    if coverage:
        newest = coverage[-1].summary
        percent, per_file = float(newest["percent"]), file_coverage(newest.get("files", {}), paths)
    used = tuple(u.id or 0 for u in [*junit, *coverage[-1:]])
    stale = () if uploads else _stale(session, module_id, commit_sha)
    return TestEvidence(results, percent, per_file, used, stale)


test_evidence.__test__ = False  # type: ignore[attr-defined]
