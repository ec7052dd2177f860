"""The push log: every push into a central repository, accepted or refused, as the vendor sees it.

The hooks write it (:mod:`governance.mirrors.push`): pre-receive records a refusal with each
broken rule, where and how to fix it; post-receive records an accepted push. Reading goes
through :mod:`governance.access`: a vendor reads the log of its own vendor's modules only
(another vendor's module is the same 404 as a typo); PMs, auditors and admins read all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, func, select

from governance import access
from governance.errors import InvalidInput, said
from governance.mirrors.models import PushOutcome, PushRecord
from governance.mirrors.push_rules import RefUpdate, Violation
from governance.modeltypes import row_id
from governance.registry.models import Module, User
from governance.timeutil import as_utc


def _updates(updates: list[RefUpdate]) -> list[dict[str, str]]:
    return [{"ref": u.ref, "old": u.old, "new": u.new} for u in updates]


def record_refusal(
    session: Session, *, module: Module, pusher: str, updates: list[RefUpdate], violations: list[Violation]
) -> PushRecord:
    """A refused push (pre-receive): nothing moved; the rules it broke and how to fix each."""
    row = PushRecord(
        module_id=row_id(module),
        pusher=pusher,
        outcome=PushOutcome.refused,
        updates=_updates(updates),
        violations=[v.as_record() for v in violations],
        rules=sorted({v.rule for v in violations}),
    )
    session.add(row)
    session.flush()
    return row


def record_acceptance(
    session: Session, *, module: Module, pusher: str, updates: list[RefUpdate], new_commits: int
) -> PushRecord:
    """An accepted push (post-receive): the refs that moved and how many commits were new."""
    row = PushRecord(
        module_id=row_id(module),
        pusher=pusher,
        outcome=PushOutcome.accepted,
        updates=_updates(updates),
        new_commits=new_commits,
    )
    session.add(row)
    session.flush()
    return row


@dataclass(frozen=True)
class PushView:
    """One push as pages, the API and the CLI show it."""

    id: int
    module: str
    pusher: str
    outcome: str
    pushed_at: datetime
    updates: list[dict[str, str]]
    violations: list[dict[str, str]]
    rules: list[str]
    new_commits: int

    @classmethod
    def of(cls, row: PushRecord, module: str) -> PushView:
        return cls(
            id=row_id(row),
            module=module,
            pusher=row.pusher,
            outcome=row.outcome.value,
            pushed_at=as_utc(row.pushed_at),
            updates=list(row.updates),
            violations=[_english(stored) for stored in row.violations],
            rules=list(row.rules),
            new_commits=row.new_commits,
        )


def _english(stored: dict[str, object]) -> dict[str, str]:
    """A stored violation as the API and the CLI show it: its English keys, without the wordings."""
    return {name: value for name, value in stored.items() if isinstance(value, str)}


@dataclass(frozen=True)
class PushPage:
    """A page of pushes; ``worded`` holds each push's violations as stored (wordings included),
    by push id, for the portal page to show in the reader's language (the API and CLI keep English)."""

    module: Module
    items: list[PushView]
    total: int
    worded: dict[int, list[dict[str, Any]]] = field(default_factory=dict)


def _outcome(outcome: str | None) -> PushOutcome | None:
    if not outcome:
        return None
    try:
        return PushOutcome(outcome)
    except ValueError:
        raise said(
            InvalidInput, "invalid outcome %(outcome)s: choose accepted or refused", outcome=repr(outcome)
        ) from None


def list_pushes(
    session: Session, *, user: User, key: str, outcome: str | None = None, limit: int = 50, offset: int = 0
) -> PushPage:
    """A module's pushes, newest first, if ``user`` may read the module."""
    module = access.readable_module(session, user, key)
    chosen = _outcome(outcome)
    where = [PushRecord.module_id == row_id(module)]
    if chosen is not None:
        where.append(PushRecord.outcome == chosen)
    total = int(session.exec(select(func.count()).select_from(PushRecord).where(*where)).one())
    rows = session.exec(
        select(PushRecord)
        .where(*where)
        .order_by(col(PushRecord.pushed_at).desc(), col(PushRecord.id).desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return PushPage(
        module,
        [PushView.of(row, module.key) for row in rows],
        total,
        {row_id(row): list(row.violations) for row in rows},
    )
