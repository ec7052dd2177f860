"""Commits ingested from a module's mirror, and the push log of its central repository."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
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


class PushOutcome(StrEnum):
    """What the central repository's hooks decided about one push."""

    accepted = "accepted"
    refused = "refused"


class PushRecord(SQLModel, table=True):
    """One push into a module's central repository, accepted or refused.

    Written by the hooks: ``pre-receive`` for a refusal (with each broken rule, where and how
    to fix it), ``post-receive`` for an accepted push. ``updates`` holds ``{ref, old, new}``
    per ref; ``violations`` holds ``{rule, where, problem, fix}``; ``rules`` the distinct rule
    ids, for filtering. Vendors read the records of their own vendor's modules only.
    """

    __tablename__ = "push_record"
    __table_args__ = (sa.Index("ix_push_record_module_at", "module_id", "pushed_at"),)

    id: int | None = Field(default=None, primary_key=True)
    module_id: int = Field(foreign_key="module.id")
    pusher: str = Field(max_length=120)
    outcome: PushOutcome = Field(max_length=20)
    updates: list[Any] = json_column([])
    violations: list[Any] = json_column([])
    rules: list[Any] = json_column([])
    new_commits: int = 0
    pushed_at: datetime = created_at()
