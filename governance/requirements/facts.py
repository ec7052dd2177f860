"""Requirement facts as plain data: what the requirements and testing standards evaluate.

The standards engine is a pure library (no database), so Govern hands it a frozen
:class:`RequirementFacts` built here. Every field is plain data (str, int, float, tuples,
dicts of those); :meth:`RequirementFacts.as_dict` gives the JSON form.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass

import sqlalchemy as sa
from sqlmodel import Session

from governance.mirrors.models import Commit
from governance.registry.models import Module
from governance.requirements.links import UnknownReference, unknown_order
from governance.requirements.matrix import Coverage, ModuleData, coverage_of, load_module
from governance.requirements.models import RequirementStatus
from governance.requirements.workflow import APPROVED_OR_LATER, IMPLEMENTED_OR_LATER


@dataclass(frozen=True)
class RequirementFacts:
    """Facts about one module's requirements and their traces.

    Fields:
        module: the module key. vendor: the vendor's name.
        total: number of requirements. by_status: status → count (every status present, 0 allowed).
        coverage: the module's :class:`~governance.requirements.matrix.Coverage` counts and percentages.
        without_code: keys implemented/verified/closed that have no code link.
        without_tests: keys implemented/verified/closed that have no test link.
        unapproved_referenced: keys that code, tests or commits reference although the requirement
            is not approved or later (proposed, rejected, changed).
        orphan_commits: shas of non-merge commits that reference no requirement.
        unknown_references: mentions of keys that are not requirements of the module (from commit
            messages, plus the file mentions passed in from the last link refresh).
        commits: number of ingested commits.
    """

    module: str
    vendor: str
    total: int
    by_status: dict[str, int]
    coverage: Coverage
    without_code: tuple[str, ...]
    without_tests: tuple[str, ...]
    unapproved_referenced: tuple[str, ...]
    orphan_commits: tuple[str, ...]
    unknown_references: tuple[UnknownReference, ...]
    commits: int

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["coverage"] = self.coverage.as_dict()
        return data


def _missing(data: ModuleData, kind: str) -> tuple[str, ...]:
    return tuple(
        sorted(
            r.key
            for r in data.requirements
            if r.status in IMPLEMENTED_OR_LATER and not data.links.get(r.key, {}).get(kind)
        )
    )


def _commit_unknowns(session: Session, data: ModuleData) -> list[UnknownReference]:
    known = {r.key for r in data.requirements}
    table = Commit.__table__  # type: ignore[attr-defined]
    rows = session.execute(
        sa.select(table.c.sha, table.c.requirement_refs).where(
            table.c.module_id == data.module.id, sa.func.json_array_length(table.c.requirement_refs) > 0
        )
    )
    return [
        UnknownReference(str(key), commit_sha=sha) for sha, refs in rows for key in refs if key not in known
    ]


def facts_of(data: ModuleData, unknown: Iterable[UnknownReference] = ()) -> RequirementFacts:
    """Facts from module data already read; ``unknown`` holds every unknown reference."""
    statuses = Counter(r.status.value for r in data.requirements)
    referenced = {key for key, kinds in data.links.items() if any(kinds.values())}
    return RequirementFacts(
        module=data.module.key,
        vendor=data.vendor,
        total=len(data.requirements),
        by_status={status.value: statuses.get(status.value, 0) for status in RequirementStatus},
        coverage=coverage_of(data),
        without_code=_missing(data, "code"),
        without_tests=_missing(data, "test"),
        unapproved_referenced=tuple(
            sorted(
                r.key for r in data.requirements if r.key in referenced and r.status not in APPROVED_OR_LATER
            )
        ),
        orphan_commits=tuple(data.orphans),
        unknown_references=tuple(sorted(set(unknown), key=unknown_order)),
        commits=data.commits,
    )


def requirement_facts(
    session: Session, *, module: Module, unknown: Iterable[UnknownReference] = ()
) -> RequirementFacts:
    """Facts of one module; pass the unknown file references a link refresh returned."""
    data = load_module(session, module)
    return facts_of(data, [*_commit_unknowns(session, data), *unknown])
