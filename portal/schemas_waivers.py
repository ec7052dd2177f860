"""API shapes of waivers: a request in, a decision in, a waiver out (with its finding's snapshot)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from governance.scans.models import Waiver, WaiverKind
from governance.timeutil import as_utc


class WaiverIn(BaseModel):
    """Ask for a waiver on one finding (its fingerprint) or one standards rule of the module."""

    kind: WaiverKind = WaiverKind.false_positive
    reason: str = Field(max_length=2000)
    fingerprint: str | None = Field(default=None, max_length=64)
    rule: str | None = Field(default=None, max_length=120)


class DecisionIn(BaseModel):
    """A PM's decision; ``expires_at`` only for approvals (default 90 days, at most 366)."""

    reason: str = Field(max_length=2000)
    expires_at: datetime | None = None


class WaiverOut(BaseModel):
    id: int
    module: str
    kind: str
    state: str
    fingerprint: str | None
    rule: str | None
    reason: str
    finding: dict[str, object]
    requested_by: str
    approver: str | None
    decision_reason: str | None
    created_at: datetime
    decided_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def of(cls, w: Waiver, module_key: str) -> WaiverOut:
        def when(value: datetime | None) -> datetime | None:
            return as_utc(value) if value is not None else None

        return cls(
            id=w.id or 0,
            module=module_key,
            kind=str(w.kind),
            state=str(w.state),
            fingerprint=w.fingerprint,
            rule=w.rule,
            reason=w.reason,
            finding=dict(w.finding or {}),
            requested_by=w.requested_by,
            approver=w.approver,
            decision_reason=w.decision_reason,
            created_at=as_utc(w.created_at),
            decided_at=when(w.decided_at),
            expires_at=when(w.expires_at),
            revoked_at=when(w.revoked_at),
        )


class WaiverList(BaseModel):
    items: list[WaiverOut]
