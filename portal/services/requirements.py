"""Requirements lists and details, scoped to the modules a user may read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, func, or_, select
from sqlmodel.sql.expression import SelectOfScalar

from governance import access
from governance.errors import InvalidInput, NotFound, said
from governance.registry.models import Module, User
from governance.requirements.models import (
    Requirement,
    RequirementStatus,
)
from governance.requirements.service import RequirementDetail, requirement_detail


@dataclass(frozen=True)
class RequirementFilter:
    """Narrowing of the requirements list: module key, status, free-text search."""

    module: str | None = None
    status: str | None = None
    q: str | None = None

    def as_query(self) -> dict[str, str]:
        """The filter as query-string parameters (for links that keep it)."""
        return {
            key: value
            for key, value in (("module", self.module), ("status", self.status), ("q", self.q))
            if value
        }


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _filtered(
    session: Session, query: SelectOfScalar[Any], user: User, flt: RequirementFilter
) -> SelectOfScalar[Any]:
    query = access.scope_modules(query.join(Module, col(Module.id) == col(Requirement.module_id)), user)
    if flt.module:
        query = query.where(Module.id == access.readable_module(session, user, flt.module).id)
    if flt.status:
        if flt.status not in {s.value for s in RequirementStatus}:
            raise said(InvalidInput, "invalid status %(status)s", status=repr(flt.status))
        query = query.where(Requirement.status == flt.status)
    if flt.q:
        pattern = f"%{_escape_like(flt.q.strip())}%"
        query = query.where(
            or_(
                col(Requirement.key).ilike(pattern, escape="\\"),
                col(Requirement.title).ilike(pattern, escape="\\"),
            )
        )
    return query


def page_requirements(
    session: Session, *, user: User, flt: RequirementFilter, limit: int = 50, offset: int = 0
) -> tuple[list[tuple[Requirement, Module]], int]:
    """A page of readable requirements matching ``flt`` and the total matching."""
    total = session.exec(_filtered(session, select(func.count()).select_from(Requirement), user, flt)).one()
    rows = session.exec(
        _filtered(session, select(Requirement, Module), user, flt)  # type: ignore[arg-type]
        .order_by(col(Requirement.key))
        .offset(max(offset, 0))
        .limit(max(1, min(limit, 500)))
    ).all()
    return [(row[0], row[1]) for row in rows], int(total)


def readable_requirement(session: Session, *, user: User, key: str) -> RequirementDetail:
    """Requirement ``key`` with history and links if its module is readable by ``user``.

    Otherwise the same 404 as a typo: a vendor never learns that another vendor's
    requirement exists. The detail itself is the domain's (shared with the CLI).
    """
    row = session.exec(
        access.scope_modules(
            select(Requirement.id)
            .join(Module, col(Module.id) == col(Requirement.module_id))
            .where(Requirement.key == key),
            user,
        )
    ).first()
    if row is None:
        raise said(NotFound, "unknown requirement %(key)s", key=repr(key))
    return requirement_detail(session, key=key)


def status_counts(session: Session, *, user: User) -> dict[str, int]:
    """How many readable requirements are in each status."""
    query = access.scope_modules(
        select(Requirement.status, func.count())
        .join(Module, col(Module.id) == col(Requirement.module_id))  # type: ignore[arg-type]
        .group_by(col(Requirement.status)),
        user,
    )
    return {str(status): int(count) for status, count in session.exec(query).all()}
