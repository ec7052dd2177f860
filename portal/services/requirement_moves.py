"""Moving a requirement through its workflow from the portal (PMs and admins).

The workflow itself (allowed moves, history, audit) is :mod:`governance.requirements.workflow`,
shared with the CLI; this adds only what the portal decides: who may move, and which
requirements the user can see at all.
"""

from __future__ import annotations

from sqlmodel import Session

from governance import access
from governance.registry.models import User
from governance.requirements.models import Requirement, RequirementStatus
from governance.requirements.workflow import ALLOWED, move_requirement
from portal.services.requirements import readable_requirement


def allowed_moves(status: RequirementStatus) -> list[str]:
    """The states a requirement in ``status`` may move to, in workflow order."""
    allowed = ALLOWED.get(RequirementStatus(status), frozenset())
    return [s.value for s in RequirementStatus if s in allowed]


def move(session: Session, *, user: User, key: str, to: str, reason: str | None = "") -> Requirement:
    """Move requirement ``key`` to ``to`` on behalf of ``user`` (403, 404, 422 or 409 otherwise)."""
    access.require(access.can_manage(user), "move requirements")
    readable_requirement(session, user=user, key=key)  # a vendor's own only, else the same 404 as a typo
    return move_requirement(session, key=key, to_status=to, reason=reason or "", actor=user.name)
