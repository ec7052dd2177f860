"""Commits ingested from a module's mirror."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from governance.modeltypes import created_at, json_column


class Commit(SQLModel, table=True):
    """One commit of a module's mirror, with what it changed and what it references."""

    __tablename__ = "git_commit"
    __table_args__ = (
        sa.UniqueConstraint("module_id", "sha", name="uq_commit_module_sha"),
        sa.Index("ix_commit_module_committed", "module_id", "committed_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    module_id: int = Field(foreign_key="module.id")
    sha: str = Field(max_length=40)
    author_name: str = Field(max_length=200)
    author_email: str = Field(max_length=200)
    authored_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    committed_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    message: str = Field(sa_type=sa.Text)
    parents: list[Any] = json_column([])
    files_changed: int = 0
    lines_added: int = 0
    lines_removed: int = 0
    requirement_refs: list[Any] = json_column([])
    ingested_at: datetime = created_at()
