"""Stored monthly reports: the month's figures (JSON) and the rendered documents (bytes).

The documents live in the database, not in the data directory: the scheduler that writes them
and the portal that serves them may run on different machines, and one backup keeps both.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from governance.modeltypes import created_at, json_column


class MonthlyReport(SQLModel, table=True):
    """One month's report; the unique month is the lock that makes it happen once."""

    __tablename__ = "monthly_report"

    id: int | None = Field(default=None, primary_key=True)
    month: str = Field(max_length=7, unique=True, index=True)  # 2026-11
    generated_at: datetime = created_at()
    generated_by: str = Field(max_length=200)
    summary: dict[str, Any] = json_column()


class MonthlyReportFile(SQLModel, table=True):
    """One rendered document of a monthly report (a format in a language)."""

    __tablename__ = "monthly_report_file"
    __table_args__ = (sa.UniqueConstraint("report_id", "format", "lang", name="uq_monthly_report_file"),)

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="monthly_report.id", index=True)
    format: str = Field(max_length=10)
    lang: str = Field(max_length=10)
    filename: str = Field(max_length=200)
    media_type: str = Field(max_length=120)
    size: int
    sha256: str = Field(max_length=64)
    content: bytes = Field(sa_type=sa.LargeBinary)
