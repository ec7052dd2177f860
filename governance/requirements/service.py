"""Registering and reading requirements (the workflow, import and traceability build on this)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, select

from governance import audit
from governance.errors import AlreadyExists, InvalidInput, NotFound, said
from governance.modeltypes import row_id
from governance.registry.models import Module
from governance.requirements.hierarchy import parent_problem
from governance.requirements.models import (
    Requirement,
    RequirementLink,
    RequirementStatus,
    RequirementTransition,
)
from governance.timeutil import as_utc, utcnow


def check_key(module: Module, key: str) -> str:
    """A requirement key is the module's prefix, a dash and a number (``BUD-0042``)."""
    if not re.fullmatch(rf"{re.escape(module.requirement_prefix)}-\d{{1,6}}", key):
        raise said(
            InvalidInput,
            "invalid requirement key %(key)s for module %(module)s: expected %(requirement_prefix)s-<number>",
            key=repr(key),
            module=module.key,
            requirement_prefix=module.requirement_prefix,
        )
    return key


def create_requirement(
    session: Session,
    *,
    module: Module,
    key: str,
    title: str,
    actor: str,
    description: str = "",
    priority: str = "medium",
    acceptance_criteria: str = "",
    status: RequirementStatus = RequirementStatus.proposed,
    parent_key: str | None = None,
) -> Requirement:
    """Register one requirement with its initial state in the history and the audit trail."""
    check_key(module, key)
    if not title.strip():
        raise said(InvalidInput, "requirement %(key)s: title is empty", key=key)
    if session.exec(select(Requirement).where(Requirement.key == key)).first():
        raise said(AlreadyExists, "requirement %(key)s already exists", key=repr(key))
    _check_parent(session, module, key, parent_key)
    requirement = Requirement(
        key=key,
        module_id=row_id(module),
        title=title.strip(),
        description=description,
        priority=priority,
        acceptance_criteria=acceptance_criteria,
        status=status,
        parent_key=parent_key,
    )
    session.add(requirement)
    session.flush()
    session.add(
        RequirementTransition(
            requirement_id=row_id(requirement),
            from_status=None,
            to_status=status.value,
            actor=actor,
            reason="registered",
        )
    )
    audit.record(
        session,
        actor=actor,
        action="requirement.create",
        target_type="requirement",
        target_id=key,
        data={"module": module.key, "status": status.value, "parent": parent_key},
    )
    return requirement


def module_parents(session: Session, module: Module) -> dict[str, str | None]:
    """Every key of the module with its parent's key (one query)."""
    query = select(Requirement.key, Requirement.parent_key).where(Requirement.module_id == module.id)
    return dict(session.exec(query).all())


def _check_parent(session: Session, module: Module, key: str, parent_key: str | None) -> None:
    parents = module_parents(session, module)
    parents[key] = parent_key
    problem = parent_problem(key, parent_key, parents)
    if problem:
        raise said(InvalidInput, "requirement %(key)s: %(problem)s", key=key, problem=problem)


def set_parent(session: Session, *, key: str, parent_key: str | None, actor: str) -> Requirement:
    """Place a requirement under another of its module (or at the top with None); audited."""
    requirement = get_requirement(session, key)
    module = session.get(Module, requirement.module_id)
    assert module is not None  # a foreign key guarantees it
    if requirement.parent_key == parent_key:
        return requirement
    _check_parent(session, module, key, parent_key)
    before, requirement.parent_key, requirement.updated_at = requirement.parent_key, parent_key, utcnow()
    session.add(requirement)
    audit.record(
        session,
        actor=actor,
        action="requirement.parent",
        target_type="requirement",
        target_id=key,
        data={"module": module.key, "from": before, "to": parent_key},
    )
    session.flush()
    return requirement


def get_requirement(session: Session, key: str) -> Requirement:
    requirement = session.exec(select(Requirement).where(Requirement.key == key)).first()
    if requirement is None:
        raise said(NotFound, "unknown requirement %(key)s", key=repr(key))
    return requirement


def list_requirements(
    session: Session, *, module: Module, status: RequirementStatus | None = None
) -> list[Requirement]:
    """A module's requirements in key order, optionally of one status."""
    query = select(Requirement).where(Requirement.module_id == module.id)
    if status is not None:
        query = query.where(Requirement.status == status)
    rows = {r.key: r for r in session.exec(query).all()}
    return [rows[key] for key in _in_key_order(list(rows))]


@dataclass(frozen=True)
class RequirementDetail:
    """One requirement with its module, its whole history and its traces."""

    requirement: Requirement
    module: Module
    history: list[RequirementTransition]
    links: list[RequirementLink]
    children: list[str]

    def as_dict(self) -> dict[str, object]:
        """Plain data for JSON and display."""
        r = self.requirement
        return {
            "key": r.key,
            "module": self.module.key,
            "title": r.title,
            "status": r.status.value,
            "parent": r.parent_key,
            "children": self.children,
            "priority": r.priority,
            "owner": r.owner,
            "description": r.description,
            "acceptance_criteria": r.acceptance_criteria,
            "history": [
                {
                    "at": as_utc(t.at).isoformat(),
                    "from": t.from_status,
                    "to": t.to_status,
                    "actor": t.actor,
                    "reason": t.reason,
                }
                for t in self.history
            ],
            "links": [{"kind": x.kind, "target": x.target, "detail": x.detail} for x in self.links],
        }


def requirement_detail(session: Session, *, key: str) -> RequirementDetail:
    requirement = get_requirement(session, key)
    module = session.get(Module, requirement.module_id)
    assert module is not None  # a foreign key guarantees it
    history = session.exec(
        select(RequirementTransition)
        .where(RequirementTransition.requirement_id == requirement.id)
        .order_by(col(RequirementTransition.at), col(RequirementTransition.id))
    ).all()
    links = session.exec(
        select(RequirementLink)
        .where(RequirementLink.module_id == module.id, RequirementLink.requirement_key == key)
        .order_by(col(RequirementLink.kind), col(RequirementLink.target))
    ).all()
    children = session.exec(select(Requirement.key).where(Requirement.parent_key == key)).all()
    return RequirementDetail(requirement, module, list(history), list(links), _in_key_order(children))


def _in_key_order(keys: Sequence[str]) -> list[str]:
    return sorted(keys, key=lambda k: (int(k.rsplit("-", 1)[-1]) if k[-1:].isdigit() else 0, k))
