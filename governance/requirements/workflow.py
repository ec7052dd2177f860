"""The requirement workflow: which status may follow which, and moving a requirement.

Allowed moves (anything else is refused with a :class:`~governance.errors.Conflict` that
names the allowed moves):

=============  ==========================================  ==========================================
from           to                                          why
=============  ==========================================  ==========================================
proposed       approved, rejected                          the PM decides on a new requirement
approved       in_progress, changed, rejected              work starts, the agreed content changes,
                                                           or it is withdrawn before work
in_progress    implemented, changed                        delivered, or its content changed mid-way
implemented    verified, in_progress, changed              acceptance passes, fails (rework), or
                                                           the content changes after delivery
verified       closed, changed                             done, or reopened by a change request
changed        approved, rejected                          the changed content is re-approved (work
                                                           resumes from approval) or dropped
rejected       proposed                                    re-submitted; the rejection stays in history
closed         (none)                                      terminal: later changes are new requirements
=============  ==========================================  ==========================================

A changed requirement keeps its key, links and whole history: ``changed`` is a state, not a
new record. ``proposed`` cannot move to ``changed`` because an unapproved requirement is
simply edited. Every move writes a :class:`RequirementTransition` (who, when, why) and an
audit event in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlmodel import Session, select

from governance import audit
from governance.errors import Conflict, InvalidInput, NotFound, said
from governance.requirements.models import Requirement, RequirementStatus, RequirementTransition
from governance.requirements.vocabulary import parse_status, status_names
from governance.timeutil import utcnow
from scanners.wording import Wording

S = RequirementStatus

ALLOWED: Mapping[RequirementStatus, frozenset[RequirementStatus]] = {
    S.proposed: frozenset({S.approved, S.rejected}),
    S.approved: frozenset({S.in_progress, S.changed, S.rejected}),
    S.in_progress: frozenset({S.implemented, S.changed}),
    S.implemented: frozenset({S.verified, S.in_progress, S.changed}),
    S.verified: frozenset({S.closed, S.changed}),
    S.changed: frozenset({S.approved, S.rejected}),
    S.rejected: frozenset({S.proposed}),
    S.closed: frozenset(),
}

# Work has been agreed: these count for coverage ("approved or later").
APPROVED_OR_LATER: frozenset[RequirementStatus] = frozenset(
    {S.approved, S.in_progress, S.implemented, S.verified, S.closed}
)
# Delivered: these must have code.
IMPLEMENTED_OR_LATER: frozenset[RequirementStatus] = frozenset({S.implemented, S.verified, S.closed})
VERIFIED_OR_LATER: frozenset[RequirementStatus] = frozenset({S.verified, S.closed})


def _order(statuses: frozenset[RequirementStatus]) -> list[str]:
    return [status.value for status in RequirementStatus if status in statuses]


def move_refusal(key: str, current: RequirementStatus, target: RequirementStatus) -> Conflict | None:
    """The error refusing ``current → target`` for ``key``, or None when the move is allowed."""
    if target == current:
        return said(Conflict, "%(key)s is already %(status)s", key=key, status=current.value)
    allowed = ALLOWED[current]
    if target in allowed:
        return None
    if not allowed:
        return said(
            Conflict,
            "cannot move %(key)s from %(current)s to %(target)s; allowed from %(current)s: none: it is final",
            key=key,
            current=current.value,
            target=target.value,
        )
    return said(
        Conflict,
        "cannot move %(key)s from %(current)s to %(target)s; allowed from %(current)s: %(moves)s",
        key=key,
        current=current.value,
        target=target.value,
        moves=", ".join(_order(allowed)),
    )


def move_problem(key: str, current: RequirementStatus, target: RequirementStatus) -> Wording | None:
    """Why ``current → target`` is not allowed for ``key`` (as the refusal's wording), or None when it is."""
    refusal = move_refusal(key, current, target)
    return refusal.wording if refusal else None


def status_from_text(text: str) -> RequirementStatus:
    """A status named by a user (English or Chinese), or a clear error listing them all."""
    status = parse_status(text)
    if status is None:
        raise said(
            InvalidInput,
            "unknown status %(text)s: use one of %(status_names)s",
            text=repr(text),
            status_names=status_names(),
        )
    return status


def record_move(
    session: Session, *, requirement: Requirement, target: RequirementStatus, actor: str, reason: str
) -> RequirementTransition:
    """Apply an already checked move: status and history row (who/when/why); the caller audits it."""
    if requirement.id is None:
        raise ValueError("record_move needs a stored requirement")
    transition = RequirementTransition(
        requirement_id=requirement.id,
        from_status=requirement.status.value,
        to_status=target.value,
        actor=actor,
        reason=reason,
        at=utcnow(),
    )
    requirement.status = target
    requirement.updated_at = transition.at
    session.add(requirement)
    session.add(transition)
    return transition


def move_requirement(session: Session, *, key: str, to_status: str, reason: str, actor: str) -> Requirement:
    """Move one requirement along the workflow, recording who, when and why (history and audit)."""
    if not reason.strip():
        raise said(InvalidInput, "moving %(key)s needs a reason", key=key)
    requirement = session.exec(select(Requirement).where(Requirement.key == key)).first()
    if requirement is None:
        raise said(NotFound, "unknown requirement %(key)s", key=repr(key))
    target, current = status_from_text(to_status), requirement.status
    refusal = move_refusal(key, current, target)
    if refusal:
        raise refusal
    record_move(session, requirement=requirement, target=target, actor=actor, reason=reason.strip())
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="requirement.move",
        target_type="requirement",
        target_id=key,
        data={"from": current.value, "to": target.value, "reason": reason.strip()},
    )
    return requirement
