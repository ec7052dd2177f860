"""Repository facts for the standards: paths, commits, requirements, markers, tags, dependencies.

Gathered from the database (commits ingested by the mirrors, the requirement register,
traceability links) and from the tree; handed to the evaluator as plain data.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence

from sqlmodel import Session, select

from governance.evidence.manifests import pip_requirements
from governance.mirrors.models import Commit
from governance.registry.models import Module
from governance.requirements.models import Requirement, RequirementLink
from standards.facts import ChangeKind, CommitFact, DependencyFact, RepositoryFacts, RequirementFact

_REQUIREMENTS_TXT = re.compile(r"(^|/)requirements[^/]*\.txt$")


def _commits(session: Session, module: Module, reachable: set[str]) -> tuple[CommitFact, ...]:
    rows = session.exec(select(Commit).where(Commit.module_id == module.id)).all()
    return tuple(
        CommitFact(sha=c.sha, requirement_refs=tuple(c.requirement_refs), is_merge=len(c.parents) > 1)
        for c in sorted(rows, key=lambda c: c.committed_at)
        if c.sha in reachable
    )


def _requirements(session: Session, module: Module) -> tuple[RequirementFact, ...]:
    rows = session.exec(select(Requirement).where(Requirement.module_id == module.id)).all()
    return tuple(RequirementFact(key=r.key, status=r.status.value, parent=r.parent_key) for r in rows)


def _markers(session: Session, module: Module, kind: str) -> dict[str, tuple[str, ...]]:
    links = session.exec(
        select(RequirementLink).where(RequirementLink.module_id == module.id, RequirementLink.kind == kind)
    ).all()
    found: dict[str, set[str]] = {}
    for link in links:
        found.setdefault(link.requirement_key, set()).add(link.target)
    return {key: tuple(sorted(targets)) for key, targets in found.items()}


def _pip_dependencies(path: str, text: str) -> Iterable[DependencyFact]:
    for parsed in pip_requirements(text):
        yield DependencyFact(name=parsed.name, specifier=str(parsed.specifier), source=path)


def _npm_dependencies(path: str, text: str) -> Iterable[DependencyFact]:
    try:
        manifest = json.loads(text)
    except ValueError:
        return
    for section in ("dependencies", "devDependencies"):
        for name, spec in (manifest.get(section) or {}).items():
            yield DependencyFact(name=name, specifier=str(spec), source=path)


def dependencies(paths: Sequence[str], read: Callable[[str], bytes]) -> tuple[DependencyFact, ...]:
    """Declared dependencies from requirements*.txt and package.json files."""
    found: list[DependencyFact] = []
    for path in paths:
        if _REQUIREMENTS_TXT.search(path):
            found.extend(_pip_dependencies(path, read(path).decode("utf-8", "replace")))
        elif path == "package.json" or path.endswith("/package.json"):
            found.extend(_npm_dependencies(path, read(path).decode("utf-8", "replace")))
    return tuple(found)


def gather(
    session: Session,
    *,
    module: Module,
    paths: Sequence[str],
    read: Callable[[str], bytes],
    reachable: set[str],
    tags: tuple[str, ...],
    changed: Mapping[str, ChangeKind],
    unknown_markers: dict[str, tuple[str, ...]] | None = None,
) -> RepositoryFacts:
    """All facts of one scan.

    Markers of keys that are not requirements of the module count as code markers of
    those keys, so the rule "referenced requirements exist" sees them.
    """
    return RepositoryFacts(
        paths=tuple(paths),
        commits=_commits(session, module, reachable),
        requirements=_requirements(session, module),
        code_markers={**_markers(session, module, "code"), **(unknown_markers or {})},
        test_markers=_markers(session, module, "test"),
        tags=tags,
        changed_paths=changed,
        dependencies=dependencies(paths, read),
    )
