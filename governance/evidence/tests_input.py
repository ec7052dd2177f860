"""The test and coverage evidence of one commit, as facts for its scan.

Only reports uploaded for exactly the scanned commit count. The newest upload of another
commit is reported as *stale* (shown, never counted), so a page can say "results are for
an older commit" instead of silently using them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from governance.errors import InvalidInput
from governance.evidence.coverage import parse_coverage
from governance.evidence.junit import parse_junit
from governance.evidence.matching import file_coverage, test_targets
from governance.evidence.models import EvidenceFile
from governance.registry.models import Module
from standards.globs import compile_globs


@dataclass(frozen=True)
class TestEvidence:
    """Test outcomes by target, coverage, and which uploads were used or are stale."""

    __test__ = False

    results: dict[str, str] | None = None
    coverage_percent: float | None = None
    file_coverage: dict[str, float] = field(default_factory=dict)
    used: tuple[int, ...] = ()
    stale: tuple[int, ...] = ()
    unreadable: tuple[str, ...] = ()


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


def tree_reports(
    settings: Mapping[str, Any], paths: Sequence[str], read: Callable[[str], bytes]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[str]]:
    """Reports committed in the scanned tree at the module's configured paths.

    ``Module.settings["evidence_paths"]`` = ``{"junit": [globs], "coverage": [globs]}``. Being
    in the tree, they describe exactly this commit. A report that does not parse is named
    in the third list and not counted.
    """
    configured = settings.get("evidence_paths") or {}
    junit: list[dict[str, Any]] = []
    coverage: list[dict[str, Any]] = []
    unreadable: list[str] = []
    for kind, target in (("junit", junit), ("coverage", coverage)):
        globs = configured.get(kind) or []
        if not globs:
            continue
        pattern = compile_globs(tuple(globs))
        for path in (p for p in paths if pattern.match(p)):
            try:
                data = read(path)
                if kind == "junit":
                    target.extend(r.as_dict() for r in parse_junit(data, filename=path))
                else:
                    target.append(parse_coverage(data, filename=path).as_dict())
            except InvalidInput as exc:
                unreadable.append(exc.message)
    return junit, coverage, unreadable


def test_evidence(
    session: Session,
    *,
    module: Module,
    commit_sha: str,
    paths: Sequence[str],
    read: Callable[[str], bytes],
) -> TestEvidence:
    """Evidence of ``commit_sha``: uploaded and in-tree JUnit reports merged; the newest coverage."""
    module_id = module.id or 0
    uploads = _uploads(session, module_id, commit_sha)
    junit = [u for u in uploads if u.kind == "junit"]
    coverage = [u for u in uploads if u.kind == "coverage"]
    in_tree, tree_coverage, unreadable = tree_reports(module.settings or {}, paths, read)
    runs = [t for u in junit for t in u.summary.get("tests", [])] + in_tree
    results = test_targets(runs, paths) if runs else None
    reports = [*tree_coverage, *(u.summary for u in coverage)]  # an upload is newer than the tree's
    percent, per_file = None, {}
    if reports:
        percent, per_file = float(reports[-1]["percent"]), file_coverage(reports[-1].get("files", {}), paths)
    used = tuple(u.id or 0 for u in [*junit, *coverage[-1:]])
    stale = () if uploads or in_tree or tree_coverage else _stale(session, module_id, commit_sha)
    return TestEvidence(results, percent, per_file, used, stale, tuple(unreadable))


test_evidence.__test__ = False  # type: ignore[attr-defined]
