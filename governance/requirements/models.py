"""Requirements, their status history and their traceability links."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from governance.modeltypes import created_at, optional_time


class RequirementStatus(StrEnum):
    """The workflow states; allowed moves live in the requirements service."""

    proposed = "proposed"
    approved = "approved"
    in_progress = "in_progress"
    implemented = "implemented"
    verified = "verified"
    closed = "closed"
    rejected = "rejected"
    changed = "changed"


class Requirement(SQLModel, table=True):
    """A registered requirement of one module, keyed like ``BUD-0042``.

    ``parent_key`` places it under another requirement of the *same* module (see
    :mod:`governance.requirements.hierarchy` for why, and for the checks on every write).
    """

    __table_args__ = (sa.Index("ix_requirement_module_status", "module_id", "status"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=40, unique=True, index=True)
    module_id: int = Field(foreign_key="module.id", index=True)
    title: str = Field(max_length=500)
    description: str = Field(default="", sa_type=sa.Text)
    priority: str = Field(default="medium", max_length=20)
    acceptance_criteria: str = Field(default="", sa_type=sa.Text)
    owner: str | None = Field(default=None, max_length=120)
    status: RequirementStatus = Field(default=RequirementStatus.proposed, max_length=20)
    parent_key: str | None = Field(default=None, max_length=40, foreign_key="requirement.key", index=True)
    created_at: datetime = created_at()
    updated_at: datetime | None = optional_time()


class RequirementTransition(SQLModel, table=True):
    """Who moved a requirement from which state to which, when and why."""

    __tablename__ = "requirement_transition"

    id: int | None = Field(default=None, primary_key=True)
    requirement_id: int = Field(foreign_key="requirement.id", index=True)
    from_status: str | None = Field(default=None, max_length=20)
    to_status: str = Field(max_length=20)
    actor: str = Field(max_length=200)
    reason: str = Field(default="", sa_type=sa.Text)
    at: datetime = created_at()


class RequirementLink(SQLModel, table=True):
    """A trace from a requirement to a commit, a file or a test."""

    __tablename__ = "requirement_link"
    __table_args__ = (sa.UniqueConstraint("requirement_key", "module_id", "kind", "target", name="uq_link"),)

    id: int | None = Field(default=None, primary_key=True)
    module_id: int = Field(foreign_key="module.id", index=True)
    requirement_key: str = Field(max_length=40, index=True)
    kind: str = Field(max_length=10)  # commit | code | test
    target: str = Field(max_length=500)
    detail: str = Field(default="", max_length=500)
    commit_sha: str | None = Field(default=None, max_length=40)
    created_at: datetime = created_at()
