"""Refreshing a module's traceability links from its files and its ingested commits.

A refresh *replaces* the module's links of the refreshed kinds in the caller's transaction:
readers see the old set or the new one, never a mixture. References to keys that are not
requirements of this module become :class:`UnknownReference` facts (findings for the
requirements standard) instead of links.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlmodel import Session, col, select

from governance import audit
from governance.errors import InvalidInput, said
from governance.mirrors.models import Commit
from governance.registry.models import Module
from governance.requirements.extract import (
    CommitReference,
    Reference,
    commit_references,
    compile_marker,
    references_in_file,
)
from governance.requirements.models import Requirement, RequirementLink
from governance.timeutil import utcnow

MARKER_SETTING = "requirement_marker"
Ref = TypeVar("Ref", Reference, CommitReference)


@dataclass(frozen=True, order=True)
class UnknownReference:
    """A mention of a key that is not a requirement of the module: where, and which key.

    ``path``/``line`` locate a code or test mention; ``commit_sha`` a commit message's.
    """

    key: str
    path: str | None = None
    line: int | None = None
    commit_sha: str | None = None


def unknown_order(unknown: UnknownReference) -> tuple[bool, str, int, str, str]:
    """File mentions by path and line, then commit mentions by sha."""
    where = (unknown.path or "", unknown.line or 0, unknown.commit_sha or "")
    return (unknown.path is None, *where, unknown.key)


@dataclass
class LinkRefresh:
    """What a refresh stored, by kind, and the references it could not resolve."""

    code: int = 0
    test: int = 0
    commit: int = 0
    unknown: list[UnknownReference] = field(default_factory=list)

    def summary(self) -> dict[str, int]:
        return {"code": self.code, "test": self.test, "commit": self.commit, "unknown": len(self.unknown)}


def module_marker(module: Module) -> re.Pattern[str]:
    """The module's code marker pattern (``settings["requirement_marker"]``) or the default."""
    pattern = (module.settings or {}).get(MARKER_SETTING)
    try:
        return compile_marker(pattern)
    except re.error as exc:
        raise said(
            InvalidInput,
            "module %(module)s: invalid %(setting)s pattern %(pattern)s: %(error)s",
            module=module.key,
            setting=MARKER_SETTING,
            pattern=repr(pattern),
            error=str(exc),
        ) from exc


def _known_keys(session: Session, module: Module) -> set[str]:
    return set(session.exec(select(Requirement.key).where(Requirement.module_id == module.id)).all())


def _replace(session: Session, module: Module, kinds: Sequence[str], rows: list[dict[str, Any]]) -> None:
    session.execute(
        sa.delete(RequirementLink).where(
            col(RequirementLink.module_id) == module.id, col(RequirementLink.kind).in_(kinds)
        )
    )
    if rows:  # Core executemany: no ORM bookkeeping for tens of thousands of rows
        session.execute(RequirementLink.__table__.insert(), rows)  # type: ignore[attr-defined]


def _file_rows(
    module: Module, references: Iterable[Reference], commit_sha: str | None
) -> list[dict[str, Any]]:
    """One link per (key, kind, target); the lines where it is mentioned go into ``detail``."""
    lines: dict[tuple[str, str, str], list[int]] = {}
    for ref in references:
        lines.setdefault((ref.key, ref.kind, ref.target), []).append(ref.line)
    now = utcnow()
    return [
        {
            "module_id": module.id,
            "requirement_key": key,
            "kind": kind,
            "target": target[:500],
            "detail": ("lines " + ", ".join(map(str, found)))[:500],
            "commit_sha": commit_sha,
            "created_at": now,
        }
        for (key, kind, target), found in sorted(lines.items())
    ]


def _commit_rows(module: Module, references: Iterable[CommitReference]) -> list[dict[str, Any]]:
    now = utcnow()
    return [
        {
            "module_id": module.id,
            "requirement_key": ref.key,
            "kind": "commit",
            "target": ref.sha,
            "detail": ref.summary[:500],
            "commit_sha": ref.sha,
            "created_at": now,
        }
        for ref in references
    ]


def _split(refs: Iterable[Ref], known: set[str]) -> tuple[list[Ref], list[Ref]]:
    kept: list[Ref] = []
    unknown: list[Ref] = []
    for ref in refs:
        (kept if ref.key in known else unknown).append(ref)
    return kept, unknown


def module_commits(session: Session, module: Module) -> list[tuple[str, Sequence[str], str]]:
    """``(sha, requirement_refs, message)`` of every ingested commit of the module."""
    query = select(Commit.sha, Commit.requirement_refs, Commit.message).where(Commit.module_id == module.id)
    return [(sha, refs or [], message) for sha, refs, message in session.exec(query).all()]


def refresh_commit_links(session: Session, *, module: Module, known: set[str] | None = None) -> LinkRefresh:
    """Replace the module's commit links from its ingested commits (call after ingestion)."""
    known = _known_keys(session, module) if known is None else known
    kept, unknown = _split(commit_references(module_commits(session, module)), known)
    _replace(session, module, ["commit"], _commit_rows(module, kept))
    return LinkRefresh(commit=len(kept), unknown=[UnknownReference(r.key, commit_sha=r.sha) for r in unknown])


def refresh_links(
    session: Session,
    *,
    module: Module,
    files: Iterable[tuple[str, str]],
    commit_sha: str | None,
    actor: str = "system",
) -> LinkRefresh:
    """Replace all of a module's links: code/test links from ``files`` (read at ``commit_sha``)
    and commit links from its ingested commits; unknown keys are returned, not linked."""
    marker = module_marker(module)
    references = [ref for path, text in files for ref in references_in_file(path, text, marker)]
    return replace_links(session, module=module, references=references, commit_sha=commit_sha, actor=actor)


def replace_links(
    session: Session,
    *,
    module: Module,
    references: Iterable[Reference],
    commit_sha: str | None,
    actor: str = "system",
) -> LinkRefresh:
    """:func:`refresh_links` from references already found (a scan keeps them per blob)."""
    known = _known_keys(session, module)
    kept, unknown = _split(list(references), known)
    _replace(session, module, ["code", "test"], _file_rows(module, kept, commit_sha))
    result = refresh_commit_links(session, module=module, known=known)
    result.code = len({(r.key, r.target) for r in kept if r.kind == "code"})
    result.test = len({(r.key, r.target) for r in kept if r.kind == "test"})
    found = [UnknownReference(r.key, r.path, r.line) for r in unknown]
    result.unknown = sorted(found + result.unknown, key=unknown_order)
    audit.record(
        session,
        actor=actor,
        action="requirement.links.refresh",
        target_type="module",
        target_id=module.key,
        data={"at_commit": commit_sha, **result.summary()},
    )
    session.flush()
    return result


def links_of(session: Session, *, module: Module, key: str | None = None) -> list[RequirementLink]:
    """Stored links of a module (or of one requirement), in a stable order."""
    query = select(RequirementLink).where(RequirementLink.module_id == module.id)
    if key is not None:
        query = query.where(RequirementLink.requirement_key == key)
    order = (col(RequirementLink.requirement_key), col(RequirementLink.kind), col(RequirementLink.target))
    return list(session.exec(query.order_by(*order)).all())
