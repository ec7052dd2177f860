"""A campaign, the modules it covers, and what each module's result was at the deadline."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from governance.modeltypes import created_at, json_column, optional_time


class CampaignGoal(StrEnum):
    """What a module must reach: a level (overall or of one standard), or no open finding at a severity."""

    level = "level"
    no_findings = "no_findings"


class CampaignState(StrEnum):
    """active until the deadline's result is recorded (``done``) or a PM closes it early (``closed``)."""

    active = "active"
    done = "done"
    closed = "closed"


class Campaign(SQLModel, table=True):
    """A target over a set of modules with a deadline (e.g. every module level B in development)."""

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    goal: str = Field(max_length=20)
    level: str | None = Field(default=None, max_length=2)  # goal "level": this level or better
    standard: str | None = Field(default=None, max_length=40)  # of this standard (None: overall)
    severity: str | None = Field(default=None, max_length=10)  # goal "no_findings": at or above
    deadline: date
    state: str = Field(default=CampaignState.active.value, max_length=12, index=True)
    created_by: str = Field(max_length=200)
    created_at: datetime = created_at()
    # Reminders sent, by "days before the deadline" (so each is sent once).
    reminders: list[Any] = json_column([])
    result: dict[str, Any] = json_column()  # {"met": n, "total": n} once recorded
    result_at: datetime | None = optional_time()


class CampaignModule(SQLModel, table=True):
    """A module a campaign covers; ``met`` is its result at the deadline (None until then)."""

    __tablename__ = "campaign_module"
    __table_args__ = (sa.UniqueConstraint("campaign_id", "module_id", name="uq_campaign_module"),)

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True)
    module_id: int = Field(foreign_key="module.id", index=True)
    met: bool | None = None
    measured: str | None = Field(default=None, max_length=40)  # level or open count at the deadline
