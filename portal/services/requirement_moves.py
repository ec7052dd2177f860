"""Moving a requirement through its workflow from the portal (PMs and admins).

A stand-in until ``governance/requirements/workflow.py`` (built in parallel) lands: at merge,
:func:`move` should delegate to ``workflow.move`` and :data:`MOVES` come from there.  It keeps
the same contract: the history row and the audit event are written in the caller's
transaction, an illegal move is a ``Conflict`` that changes nothing.
"""

from __future__ import annotations

from sqlmodel import Session

from governance import access, audit
from governance.errors import Conflict, InvalidInput
from governance.registry.models import User
from governance.requirements.models import Requirement, RequirementStatus, RequirementTransition
from governance.timeutil import utcnow
from portal.services.requirements import readable_requirement

S = RequirementStatus
MOVES: dict[RequirementStatus, frozenset[RequirementStatus]] = {
    S.proposed: frozenset({S.approved, S.rejected, S.changed}),
    S.approved: frozenset({S.in_progress, S.changed, S.rejected}),
    S.in_progress: frozenset({S.implemented, S.changed}),
    S.implemented: frozenset({S.verified, S.in_progress}),
    S.verified: frozenset({S.closed, S.in_progress}),
    S.changed: frozenset({S.approved, S.rejected}),
    S.rejected: frozenset({S.proposed}),
    S.closed: frozenset(),
}


def allowed_moves(status: RequirementStatus) -> list[str]:
    """The states a requirement in ``status`` may move to, in workflow order."""
    return [s.value for s in RequirementStatus if s in MOVES.get(status, frozenset())]


def move(session: Session, *, user: User, key: str, to: str, reason: str = "") -> Requirement:
    """Move requirement ``key`` to ``to`` on behalf of ``user`` (403, 404, 422 or 409 otherwise)."""
    access.require(access.can_manage(user), "move requirements")
    requirement = readable_requirement(session, user=user, key=key).requirement
    try:
        target = RequirementStatus(to)
    except ValueError:
        raise InvalidInput(f"invalid status {to!r}") from None
    current = RequirementStatus(requirement.status)
    if target not in MOVES.get(current, frozenset()):
        raise Conflict(f"{key} cannot move from {current.value} to {target.value}")
    assert requirement.id is not None  # loaded from the database
    requirement.status = target
    requirement.updated_at = utcnow()
    session.add(requirement)
    session.add(
        RequirementTransition(
            requirement_id=requirement.id,
            from_status=current.value,
            to_status=target.value,
            actor=user.name,
            reason=reason.strip(),
        )
    )
    audit.record(
        session,
        actor=user.name,
        action="requirement.move",
        target_type="requirement",
        target_id=key,
        data={"from": current.value, "to": target.value, "reason": reason.strip()},
    )
    session.flush()
    return requirement
