"""Scans and their results: findings, per-standard results, the result cache, waivers."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from governance.modeltypes import created_at, json_column, message_wording_column, optional_time


class ScanStatus(StrEnum):
    """A scan is queued, running, then complete or failed: never half-written."""

    queued = "queued"
    running = "running"
    complete = "complete"
    failed = "failed"


class Scan(SQLModel, table=True):
    """One run of the standards over one commit of one module."""

    __table_args__ = (sa.Index("ix_scan_module_started", "module_id", "started_at"),)

    id: int | None = Field(default=None, primary_key=True)
    module_id: int = Field(foreign_key="module.id")
    commit_sha: str = Field(max_length=40)
    branch: str | None = Field(default=None, max_length=200)
    trigger: str = Field(max_length=20)  # manual | push | schedule | api
    status: ScanStatus = Field(default=ScanStatus.queued, max_length=20, index=True)
    reason: str | None = Field(default=None, sa_type=sa.Text)
    profile: str = Field(default="default", max_length=120)
    profile_digest: str | None = Field(default=None, max_length=64)
    score: float | None = None
    level: str | None = Field(default=None, max_length=2)
    gate_passed: bool | None = None
    new_gate_passed: bool | None = None
    baseline_scan_id: int | None = Field(default=None, foreign_key="scan.id")  # tracked against
    fixed_count: int = Field(default=0, sa_column_kwargs={"server_default": "0"})  # baseline's, now gone
    # The verdict's conditions as measured ({"conditions": [...]}, see standards.results.GateCondition):
    # every face shows these, so a "passed" is never shown without the conditions behind it.
    gate: dict[str, Any] = json_column()
    metrics: dict[str, Any] = json_column()
    timings: dict[str, Any] = json_column()
    lease_owner: str | None = Field(default=None, max_length=200)
    lease_expires_at: datetime | None = optional_time()
    created_at: datetime = created_at()
    started_at: datetime | None = optional_time()
    finished_at: datetime | None = optional_time()


class FindingState(StrEnum):
    """Tracking state against the previous scan of the same branch."""

    new = "new"
    persisting = "persisting"
    fixed = "fixed"


class Finding(SQLModel, table=True):
    """A finding as recorded by one scan (made from a scanner's immutable value)."""

    __table_args__ = (
        sa.Index("ix_finding_scan_state", "scan_id", "state"),
        sa.Index("ix_finding_scan_standard_severity", "scan_id", "standard", "severity"),
        sa.Index("ix_finding_scan_fingerprint", "scan_id", "fingerprint"),
    )

    id: int | None = Field(default=None, primary_key=True)
    scan_id: int = Field(foreign_key="scan.id")
    module_id: int = Field(foreign_key="module.id", index=True)
    rule: str = Field(max_length=120)
    standard_rule: str | None = Field(default=None, max_length=20)
    standard: str | None = Field(default=None, max_length=40)
    tool: str = Field(max_length=40)
    tool_rule: str = Field(max_length=80)
    severity: str = Field(max_length=10)
    path: str = Field(max_length=1000)
    line: int = 0
    end_line: int = 0
    message: str = Field(sa_type=sa.Text)
    # The wording of a message Govern wrote itself ({"msgid", "args"}, scanners.wording), which a
    # page shows in the reader's language; None for a tool's own text and rows from before 0016.
    message_wording: dict[str, Any] | None = message_wording_column()
    fingerprint: str = Field(max_length=64)
    state: FindingState = Field(default=FindingState.new, max_length=12)
    first_seen_at: datetime = created_at()
    waived: bool = False


class StandardResult(SQLModel, table=True):
    """The score, level and failing rules of one standard in one scan (pre-aggregated for pages).

    A standard is not a gate: only the profile's gate conditions decide pass or fail.
    """

    __tablename__ = "standard_result"
    __table_args__ = (sa.UniqueConstraint("scan_id", "standard", name="uq_standard_result"),)

    id: int | None = Field(default=None, primary_key=True)
    scan_id: int = Field(foreign_key="scan.id", index=True)
    standard: str = Field(max_length=40)
    score: float | None = None  # None when no rule of the standard applied
    level: str | None = Field(default=None, max_length=2)
    failed_rules: int = 0
    rules: list[Any] = json_column([])


class ScanCache(SQLModel, table=True):
    """Content-addressed results: the same analysis is never run twice."""

    __tablename__ = "scan_cache"

    key: str = Field(primary_key=True, max_length=64)
    scanner: str = Field(max_length=40, index=True)
    result: dict[str, Any] = json_column()
    created_at: datetime = created_at()


class WaiverKind(StrEnum):
    """Why a finding is set aside: the tool is wrong, or the risk is known and accepted."""

    false_positive = "false_positive"
    accepted_risk = "accepted_risk"


class WaiverState(StrEnum):
    """requested → approved | rejected; an approved waiver may be revoked. Expiry is by date."""

    requested = "requested"
    approved = "approved"
    rejected = "rejected"
    revoked = "revoked"


class Waiver(SQLModel, table=True):
    """An exception for one finding (its fingerprint) or a whole rule of a module.

    It follows the fingerprint, not a finding row, so it survives rescans, line moves and
    re-pushes; while approved and unexpired it removes the finding from scores and gates
    (the finding stays visible, marked); on expiry it counts again.
    """

    __table_args__ = (sa.Index("ix_waiver_module_state", "module_id", "state"),)

    id: int | None = Field(default=None, primary_key=True)
    module_id: int = Field(foreign_key="module.id", index=True)
    fingerprint: str | None = Field(default=None, max_length=64, index=True)
    rule: str | None = Field(default=None, max_length=120)
    kind: WaiverKind = Field(default=WaiverKind.accepted_risk, max_length=20)
    state: WaiverState = Field(default=WaiverState.requested, max_length=12)
    reason: str = Field(sa_type=sa.Text)
    # What the finding was when the waiver was asked for (rule, path, line, message), for readers.
    finding: dict[str, Any] = json_column()
    requested_by: str = Field(default="", max_length=200)
    approver: str | None = Field(default=None, max_length=200)
    decision_reason: str | None = Field(default=None, sa_type=sa.Text)
    decided_at: datetime | None = optional_time()
    expires_at: datetime | None = optional_time()
    created_at: datetime = created_at()
    revoked_at: datetime | None = optional_time()


class CrossDuplication(SQLModel, table=True):
    """Code of a scanned module also found in another module (copied between modules or vendors).

    One row per (scan, other module) with duplicated code: ``lines`` of the scanned module
    (distinct lines of its blocks) also in ``other_module_id``, in ``blocks`` blocks, as of
    the other module's latest complete default-branch scan (``other_commit``). Written with
    the scan, in its transaction; the portfolio figure reads the latest scan of each module.
    """

    __tablename__ = "cross_duplication"

    id: int | None = Field(default=None, primary_key=True)
    scan_id: int = Field(foreign_key="scan.id", index=True)
    module_id: int = Field(foreign_key="module.id", index=True)
    other_module_id: int = Field(foreign_key="module.id", index=True)
    other_commit: str = Field(max_length=40)
    lines: int
    blocks: int
