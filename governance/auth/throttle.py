"""Login limits per account and per client address, kept in the database.

Every attempt is counted *before* the password is checked, by one atomic UPDATE per key,
so a burst of parallel guesses is counted exactly and no more than the limit are ever
checked; the counters live in the database, so every portal process shares them. A
success clears the account's counter and takes its own attempt off the address's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from governance.auth.models import LoginCounter
from governance.db import Database
from governance.timeutil import utcnow


@dataclass(frozen=True)
class ThrottleLimits:
    """Attempts allowed per ``window`` for one account and for one client address."""

    account: int = 5
    address: int = 50
    window: timedelta = timedelta(minutes=15)


def _keys(username: str, address: str) -> list[str]:
    return sorted([f"account:{username.strip().lower()[:200]}", f"address:{address[:200]}"])


def _ensure(session: Session, key: str, now: datetime) -> None:
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(LoginCounter).values(key=key, window_start=now, attempts=0)
    session.execute(statement.on_conflict_do_nothing(index_elements=["key"]))


def _bump(session: Session, key: str, now: datetime, cutoff: datetime) -> int:
    """Count one attempt (starting a new window if the old one passed); the new count."""
    _ensure(session, key, now)
    expired = col(LoginCounter.window_start) <= cutoff
    session.execute(
        sa.update(LoginCounter)
        .where(col(LoginCounter.key) == key)
        .values(
            attempts=sa.case((expired, 1), else_=col(LoginCounter.attempts) + 1),
            window_start=sa.case((expired, now), else_=col(LoginCounter.window_start)),
        )
    )
    return int(session.exec(select(LoginCounter.attempts).where(LoginCounter.key == key)).one())


class LoginThrottle:
    """Database-backed limits; ``clock`` is injectable so tests move time instead of sleeping."""

    def __init__(
        self, database: Database, limits: ThrottleLimits, *, clock: Callable[[], datetime] = utcnow
    ) -> None:
        self.database, self.limits, self.clock = database, limits, clock

    def _limit(self, key: str) -> int:
        return self.limits.account if key.startswith("account:") else self.limits.address

    def admit(self, username: str, address: str) -> bool:
        """Count this attempt; False when the account or the address is over its limit."""
        now = self.clock()
        with self.database.session() as session:  # its own transaction, committed at once
            counts = {
                key: _bump(session, key, now, now - self.limits.window) for key in _keys(username, address)
            }
        return all(count <= self._limit(key) for key, count in counts.items())

    def succeeded(self, username: str, address: str) -> None:
        """A right password: the account starts afresh; the address gets this attempt back."""
        account, place = f"account:{username.strip().lower()[:200]}", f"address:{address[:200]}"
        with self.database.session() as session:
            session.execute(sa.delete(LoginCounter).where(col(LoginCounter.key) == account))
            session.execute(
                sa.update(LoginCounter)
                .where(col(LoginCounter.key) == place, col(LoginCounter.attempts) > 0)
                .values(attempts=col(LoginCounter.attempts) - 1)
            )
