"""Tables for sessions and login limits: state every portal process must share."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from governance.modeltypes import created_at, optional_time


class LoginSession(SQLModel, table=True):
    """One browser login. The cookie carries a random token; only its SHA-256 is stored.

    A session is valid while ``ended_at`` is empty and ``expires_at`` is ahead, so logout,
    a password change or deactivation end it on the server: a copied cookie opens nothing.
    """

    __tablename__ = "login_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    created_at: datetime = created_at()
    expires_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    ended_at: datetime | None = optional_time()
    ended_reason: str | None = Field(default=None, max_length=40)


class LoginCounter(SQLModel, table=True):
    """Login attempts for one key (``account:<name>`` or ``address:<ip>``) in a fixed window.

    Incremented by one UPDATE per attempt, so parallel attempts are counted exactly (the
    row lock on PostgreSQL, the write lock on SQLite) and every process sees the same count.
    """

    __tablename__ = "login_counter"

    key: str = Field(primary_key=True, max_length=300)
    window_start: datetime = Field(sa_type=sa.DateTime(timezone=True))
    attempts: int = Field(default=0)
