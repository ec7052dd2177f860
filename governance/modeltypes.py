"""Column helpers shared by the domain's SQLModel tables."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field

from governance.timeutil import utcnow


def created_at() -> Any:
    """A non-null, timezone-aware creation timestamp column."""
    return Field(default_factory=utcnow, sa_type=sa.DateTime(timezone=True), nullable=False)


def optional_time() -> Any:
    """A nullable timezone-aware timestamp column."""
    return Field(default=None, sa_type=sa.DateTime(timezone=True), nullable=True)


def json_column(default: Any = None) -> Any:
    """A JSON column (JSONB-compatible on PostgreSQL, TEXT on SQLite)."""
    factory = (lambda: {}) if default is None else (lambda: type(default)(default))
    return Field(default_factory=factory, sa_type=sa.JSON, nullable=False)


__all__ = ["created_at", "datetime", "json_column", "optional_time"]
