"""Registering requirements (the workflow, import and traceability build on this)."""

from __future__ import annotations

import re

from sqlmodel import Session, select

from governance import audit
from governance.errors import AlreadyExists, InvalidInput
from governance.registry.models import Module
from governance.requirements.models import Requirement, RequirementStatus, RequirementTransition


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
    requirement = Requirement(key=key, module_id=module.id, title=title.strip(), description=description,
                              priority=priority, acceptance_criteria=acceptance_criteria, status=status)
    session.add(requirement)
    session.flush()
    session.add(RequirementTransition(requirement_id=requirement.id, from_status=None,
                                      to_status=status.value, actor=actor, reason="registered"))
    audit.record(session, actor=actor, action="requirement.create", target_type="requirement",
                 target_id=key, data={"module": module.key, "status": status.value})
    return requirement
