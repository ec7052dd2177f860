"""Schedule firings: one row per (module, due time), so a firing happens once."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from governance.modeltypes import created_at


class ScheduleFiring(SQLModel, table=True):
    """A cron schedule fired for a module at ``due_at``; the unique key is the lock.

    Two schedulers racing for the same firing both try to insert this row; the database
    lets exactly one succeed, and only that one requests the scan.
    """

    __tablename__ = "schedule_firing"
    __table_args__ = (sa.UniqueConstraint("module_id", "due_at", name="uq_schedule_firing"),)

    id: int | None = Field(default=None, primary_key=True)
    module_id: int = Field(foreign_key="module.id", index=True)
    due_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    scheduler: str = Field(max_length=200)
    scan_id: int | None = Field(default=None, foreign_key="scan.id")
    fired_at: datetime = created_at()
