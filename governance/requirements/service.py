"""Registering and reading requirements (the workflow, import and traceability build on this)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlmodel import Session, col, select

from governance import audit
from governance.errors import AlreadyExists, InvalidInput, NotFound
from governance.modeltypes import row_id
from governance.registry.models import Module
from governance.requirements.models import (
    Requirement,
    RequirementLink,
    RequirementStatus,
    RequirementTransition,
)
from governance.timeutil import as_utc


def check_key(module: Module, key: str) -> str:
    """A requirement key is the module's prefix, a dash and a number (``BUD-0042``)."""
    if not re.fullmatch(rf"{re.escape(module.requirement_prefix)}-\d{{1,6}}", key):
        raise InvalidInput(
            f"invalid requirement key {key!r} for module {module.key}: "
            f"expected {module.requirement_prefix}-<number>"
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
) -> Requirement:
    """Register one requirement with its initial state in the history and the audit trail."""
    check_key(module, key)
    if not title.strip():
        raise InvalidInput(f"requirement {key}: title is empty")
    if session.exec(select(Requirement).where(Requirement.key == key)).first():
        raise AlreadyExists(f"requirement {key!r} already exists")
    requirement = Requirement(
        key=key,
        module_id=row_id(module),
        title=title.strip(),
        description=description,
        priority=priority,
        acceptance_criteria=acceptance_criteria,
        status=status,
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
        data={"module": module.key, "status": status.value},
    )
    return requirement


def get_requirement(session: Session, key: str) -> Requirement:
    requirement = session.exec(select(Requirement).where(Requirement.key == key)).first()
    if requirement is None:
        raise NotFound(f"unknown requirement {key!r}")
    return requirement


def list_requirements(
    session: Session, *, module: Module, status: RequirementStatus | None = None
) -> list[Requirement]:
    """A module's requirements in key order, optionally of one status."""
    query = select(Requirement).where(Requirement.module_id == module.id)
    if status is not None:
        query = query.where(Requirement.status == status)
    rows = session.exec(query).all()
    return sorted(rows, key=lambda r: (int(r.key.rsplit("-", 1)[-1]) if r.key[-1:].isdigit() else 0, r.key))


@dataclass(frozen=True)
class RequirementDetail:
    """One requirement with its module, its whole history and its traces."""

    requirement: Requirement
    module: Module
    history: list[RequirementTransition]
    links: list[RequirementLink]

    def as_dict(self) -> dict[str, object]:
        """Plain data for JSON and display."""
        r = self.requirement
        return {
            "key": r.key,
            "module": self.module.key,
            "title": r.title,
            "status": r.status.value,
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
    return RequirementDetail(requirement, module, list(history), list(links))
