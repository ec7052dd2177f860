"""Column helpers shared by the domain's SQLModel tables."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

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


def message_wording_column() -> Any:
    """The nullable wording of a row's ``message`` (``{"msgid", "args"}``, ``scanners.wording``).

    One declaration for every table that keeps a message Govern wrote itself, so a page can
    show it in the reader's language; None for a tool's own text and rows from before it.
    """
    return Field(
        default=None,
        sa_type=sa.JSON,
        sa_column_kwargs={"doc": "msgid and args of message, for pages to translate"},
    )


class _Keyed(Protocol):
    """A table row: its integer primary key is None until the row is flushed."""

    @property
    def id(self) -> int | None: ...


def row_id(row: _Keyed) -> int:
    """The primary key of a row that has been flushed or loaded.

    SQLModel declares keys ``int | None`` because a new row has none yet; code that holds a
    stored row says so through this function, and a row that was never flushed is a bug
    (it fails here, by name, rather than as a NULL foreign key further on).
    """
    if row.id is None:
        raise RuntimeError(f"{type(row).__name__} has no primary key yet: it was never flushed")
    return row.id


__all__ = ["created_at", "datetime", "json_column", "optional_time", "row_id"]
