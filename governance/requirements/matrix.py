"""The traceability matrix and coverage figures, per module and per vendor.

For each requirement: its parent, its commits, code files, tests, and the latest scan status of
those files (from the module's latest *complete* scan; "not scanned" when there is none), and
its verification as that scan decided it, rolled up over the requirements below it (see
:mod:`standards.verification`; ``flagged_by`` names the descendants that pull it down). A module
is read in a fixed handful of queries (requirements, links, commits, scan, findings), whatever
its size, and the rest is plain Python over those rows.

Coverage counts (documented because standards thresholds depend on them):

* ``approved_or_later``: requirements in approved, in_progress, implemented, verified or
  closed — work agreed and not withdrawn (``changed`` awaits re-approval, so it is out);
* ``with_code`` / ``with_tests``: of those, how many have at least one code / test link;
* ``verified``: of those, how many are verified or closed;
* ``orphan_commits``: non-merge commits whose message references no requirement at all;
* ``implemented_without_code``: implemented, verified or closed requirements with no code link.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, fields
from typing import NamedTuple

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from governance.evidence.models import ScanEvidence
from governance.mirrors.models import Commit
from governance.registry.models import Module, Vendor
from governance.registry.service import get_vendor
from governance.requirements.models import Requirement, RequirementLink, RequirementStatus
from governance.requirements.workflow import APPROVED_OR_LATER, IMPLEMENTED_OR_LATER, VERIFIED_OR_LATER
from governance.scans.models import Finding, FindingState, Scan, ScanStatus

NOT_SCANNED = "not scanned"
#: The scan had no test results for its commit (see governance.evidence.inputs).
NO_EVIDENCE = "no evidence"
_SEVERITY_ORDER = ("blocker", "critical", "major", "minor", "info")


def _pct(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


@dataclass(frozen=True)
class Coverage:
    """Coverage counts of one module or vendor (see module doc for each definition)."""

    scope: str
    requirements: int = 0
    approved_or_later: int = 0
    with_code: int = 0
    with_tests: int = 0
    verified: int = 0
    commits: int = 0
    orphan_commits: int = 0
    implemented_without_code: int = 0

    @property
    def code_pct(self) -> float | None:
        return _pct(self.with_code, self.approved_or_later)

    @property
    def tests_pct(self) -> float | None:
        return _pct(self.with_tests, self.approved_or_later)

    @property
    def verified_pct(self) -> float | None:
        return _pct(self.verified, self.approved_or_later)

    def as_dict(self) -> dict[str, object]:
        counts = {item.name: getattr(self, item.name) for item in fields(self)}
        return {
            **counts,
            "code_pct": self.code_pct,
            "tests_pct": self.tests_pct,
            "verified_pct": self.verified_pct,
        }

    def __add__(self, other: Coverage) -> Coverage:
        names = [item.name for item in fields(self) if item.name != "scope"]
        return Coverage(self.scope, **{name: getattr(self, name) + getattr(other, name) for name in names})


@dataclass(frozen=True)
class FileStatus:
    """A file's state in the latest complete scan: "clean", "findings" or "not scanned"."""

    path: str
    status: str
    findings: int = 0
    worst: str | None = None


@dataclass(frozen=True)
class MatrixRow:
    """One requirement's traces."""

    key: str
    title: str
    status: str
    priority: str
    owner: str | None
    commits: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    tests: tuple[str, ...] = ()
    scan: tuple[FileStatus, ...] = ()
    verification: str = NO_EVIDENCE
    coverage_pct: float | None = None
    parent: str | None = None
    #: Descendants whose own tests failed, are missing or absent (they set ``verification``).
    flagged_by: tuple[str, ...] = ()


class RequirementRow(NamedTuple):
    """The columns of a requirement the matrix shows (read as plain rows: no ORM objects)."""

    key: str
    title: str
    status: RequirementStatus
    priority: str
    owner: str | None
    parent: str | None = None


@dataclass
class ModuleData:
    """Everything the matrix needs about one module, read in a fixed number of queries."""

    module: Module
    vendor: str
    requirements: list[RequirementRow]
    links: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # key → kind → targets
    commits: int = 0
    orphans: list[str] = field(default_factory=list)
    scan: Scan | None = None
    findings: dict[str, tuple[int, str]] = field(default_factory=dict)  # path → (count, worst)
    evidence: dict[str, dict[str, object]] = field(default_factory=dict)  # key → verification, coverage


@dataclass(frozen=True)
class TraceMatrix:
    """The matrix of one module, with its coverage and the scan it reflects."""

    module: str
    vendor: str
    scan_id: int | None
    scan_commit: str | None
    rows: tuple[MatrixRow, ...]
    coverage: Coverage


def _links(session: Session, module: Module) -> dict[str, dict[str, list[str]]]:
    table = RequirementLink.__table__  # type: ignore[attr-defined]
    query = (
        sa.select(table.c.requirement_key, table.c.kind, table.c.target)
        .where(table.c.module_id == module.id)
        .order_by(table.c.target)
    )
    links: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for key, kind, target in session.execute(query).all():
        links[key][kind].append(target)
    return links


def _requirements(session: Session, module: Module) -> list[RequirementRow]:
    table = Requirement.__table__  # type: ignore[attr-defined]
    query = sa.select(
        table.c.key, table.c.title, table.c.status, table.c.priority, table.c.owner, table.c.parent_key
    ).where(table.c.module_id == module.id)
    return [
        RequirementRow(key, title, RequirementStatus(status), priority, owner, parent)
        for key, title, status, priority, owner, parent in session.execute(query).all()
    ]


def _commit_summary(session: Session, module: Module) -> tuple[int, list[str]]:
    """How many commits, and the orphans: counted in SQL so 20,000 JSON lists are never decoded."""
    table = Commit.__table__  # type: ignore[attr-defined]
    count = session.execute(sa.select(func.count()).where(table.c.module_id == module.id)).scalar_one()
    orphans = (
        session.execute(
            sa.select(table.c.sha)
            .where(
                table.c.module_id == module.id,
                func.json_array_length(table.c.requirement_refs) == 0,
                func.json_array_length(table.c.parents) <= 1,
            )
            .order_by(table.c.sha)
        )
        .scalars()
        .all()
    )
    return count, list(orphans)


def latest_complete_scan(session: Session, module: Module) -> Scan | None:
    query = (
        select(Scan)
        .where(Scan.module_id == module.id, Scan.status == ScanStatus.complete)
        .order_by(col(Scan.finished_at).desc().nulls_last(), col(Scan.id).desc())
        .limit(1)
    )
    return session.exec(query).first()


def _findings(session: Session, scan: Scan | None) -> dict[str, tuple[int, str]]:
    if scan is None:
        return {}
    query = (
        select(Finding.path, Finding.severity, func.count())
        .where(
            Finding.scan_id == scan.id,
            Finding.state != FindingState.fixed,
            col(Finding.waived) == False,  # noqa: E712 - SQL comparison, not Python identity
        )
        .group_by(col(Finding.path), col(Finding.severity))
    )
    found: dict[str, tuple[int, str]] = {}
    for path, severity, count in session.exec(query).all():
        total, worst = found.get(path, (0, severity))
        found[path] = (total + count, min(worst, severity, key=_rank))
    return found


def _rank(severity: str) -> int:
    return _SEVERITY_ORDER.index(severity) if severity in _SEVERITY_ORDER else len(_SEVERITY_ORDER)


def load_module(session: Session, module: Module, *, scan_results: bool = True) -> ModuleData:
    """Read one module's requirements, links, commits and latest scan results.

    ``scan_results=False`` leaves the scan out: coverage needs none of it, and grouping the
    latest scan's findings by file takes ~0.2 s a module at 100,000 findings each.
    """
    vendor = session.get(Vendor, module.vendor_id)
    commits, orphans = _commit_summary(session, module)
    scan = latest_complete_scan(session, module) if scan_results else None
    return ModuleData(
        module,
        vendor.name if vendor else "",
        _requirements(session, module),
        _links(session, module),
        commits,
        orphans,
        scan,
        _findings(session, scan),
        _evidence(session, scan),
    )


def _evidence(session: Session, scan: Scan | None) -> dict[str, dict[str, object]]:
    """What the scan decided about each requirement from the commit's test evidence."""
    if scan is None or scan.id is None:
        return {}
    row = session.get(ScanEvidence, scan.id)
    return dict(row.inputs.get("requirements", {})) if row else {}


def coverage_of(data: ModuleData) -> Coverage:
    """The module's coverage counts, from data already read."""
    agreed = [r for r in data.requirements if r.status in APPROVED_OR_LATER]
    has = {kind: {key for key, kinds in data.links.items() if kinds.get(kind)} for kind in ("code", "test")}
    delivered = [r for r in data.requirements if r.status in IMPLEMENTED_OR_LATER]
    return Coverage(
        scope=data.module.key,
        requirements=len(data.requirements),
        approved_or_later=len(agreed),
        with_code=sum(r.key in has["code"] for r in agreed),
        with_tests=sum(r.key in has["test"] for r in agreed),
        verified=sum(r.status in VERIFIED_OR_LATER for r in agreed),
        commits=data.commits,
        orphan_commits=len(data.orphans),
        implemented_without_code=sum(r.key not in has["code"] for r in delivered),
    )


def _file_status(data: ModuleData, path: str) -> FileStatus:
    if data.scan is None:
        return FileStatus(path, NOT_SCANNED)
    count, worst = data.findings.get(path, (0, None))
    return FileStatus(path, "findings" if count else "clean", count, worst)


def _row(data: ModuleData, requirement: RequirementRow) -> MatrixRow:
    kinds = data.links.get(requirement.key, {})
    tests = tuple(kinds.get("test", ()))
    files = tuple(kinds.get("code", ()))
    paths = dict.fromkeys([*files, *(test.split("::", 1)[0] for test in tests)])
    evidence = data.evidence.get(requirement.key, {})
    coverage = evidence.get("coverage")
    return MatrixRow(
        key=requirement.key,
        title=requirement.title,
        status=requirement.status.value,
        priority=requirement.priority,
        owner=requirement.owner,
        commits=tuple(kinds.get("commit", ())),
        files=files,
        tests=tests,
        scan=tuple(_file_status(data, path) for path in paths),
        verification=str(evidence.get("verification", NO_EVIDENCE)),
        coverage_pct=float(coverage) if isinstance(coverage, (int, float)) else None,
        parent=requirement.parent,
        flagged_by=_flagged_by(evidence),
    )


def _flagged_by(evidence: dict[str, object]) -> tuple[str, ...]:
    """Descendants the scan found flagging this requirement (absent in scans before hierarchies)."""
    keys = evidence.get("flagged_by")
    return tuple(str(key) for key in keys) if isinstance(keys, list) else ()


def _number(key: str) -> tuple[int, str]:
    tail = key.rsplit("-", 1)[-1]
    return (int(tail) if tail.isdigit() else 0, key)


def matrix_of(data: ModuleData) -> TraceMatrix:
    rows = tuple(_row(data, r) for r in sorted(data.requirements, key=lambda r: _number(r.key)))
    scan = data.scan
    return TraceMatrix(
        data.module.key,
        data.vendor,
        scan.id if scan else None,
        scan.commit_sha if scan else None,
        rows,
        coverage_of(data),
    )


def build_matrix(session: Session, *, module: Module) -> TraceMatrix:
    """The full traceability matrix of one module."""
    return matrix_of(load_module(session, module))


def module_coverage(session: Session, *, module: Module) -> Coverage:
    return coverage_of(load_module(session, module, scan_results=False))


def vendor_coverage(session: Session, *, vendor: str) -> Coverage:
    """Coverage summed over every module the vendor delivers."""
    owner = get_vendor(session, vendor)
    modules = session.exec(select(Module).where(Module.vendor_id == owner.id).order_by(col(Module.key))).all()
    total = Coverage(owner.name)
    for module in modules:
        total = total + coverage_of(load_module(session, module, scan_results=False))
    return total
