"""Shapes of the JSON API (they make the OpenAPI document): public fields only, no hashes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from governance.audit.models import AuditEvent
from governance.registry.models import Module, Vendor
from governance.requirements.models import Requirement, RequirementLink, RequirementTransition
from governance.scans.models import Finding, Scan, StandardResult


class ErrorOut(BaseModel):
    """Every API error: one message fit to show."""

    error: str


class PageMeta(BaseModel):
    total: int = Field(ge=0)
    limit: int
    offset: int


class VendorOut(BaseModel):
    name: str
    contact: str | None
    modules: int

    @classmethod
    def of(cls, vendor: Vendor, modules: int) -> VendorOut:
        return cls(name=vendor.name, contact=vendor.contact, modules=modules)


class StandardOut(BaseModel):
    standard: str
    score: float | None  # None when no rule of the standard applied (as stored)
    level: str | None
    failed_rules: int
    rules: list[dict[str, Any]] = []

    @classmethod
    def of(cls, row: StandardResult, *, with_rules: bool = False) -> StandardOut:
        rules = [r for r in (row.rules or []) if isinstance(r, dict)] if with_rules else []
        return cls(
            standard=row.standard,
            score=row.score,
            level=row.level,
            failed_rules=row.failed_rules,
            rules=rules,
        )


class ScanOut(BaseModel):
    id: int
    module: str
    commit_sha: str
    branch: str | None
    trigger: str
    status: str
    score: float | None
    level: str | None
    gate_passed: bool | None
    new_gate_passed: bool | None
    gate_conditions: list[dict[str, Any]] = []
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @classmethod
    def of(cls, scan: Scan, module_key: str) -> ScanOut:
        return cls(
            id=scan.id or 0,
            module=module_key,
            commit_sha=scan.commit_sha,
            branch=scan.branch,
            trigger=scan.trigger,
            status=str(scan.status),
            score=scan.score,
            level=scan.level,
            gate_passed=scan.gate_passed,
            new_gate_passed=scan.new_gate_passed,
            gate_conditions=list((scan.gate or {}).get("conditions", [])),
            created_at=scan.created_at,
            started_at=scan.started_at,
            finished_at=scan.finished_at,
        )


class ScanDetailOut(ScanOut):
    reason: str | None = None
    metrics: dict[str, Any] = {}
    standards: list[StandardOut] = []


class ScanPage(PageMeta):
    items: list[ScanOut]


class ModuleOut(BaseModel):
    key: str
    name: str
    vendor: str
    default_branch: str
    profile: str
    schedule: str | None
    lines_of_code: int
    last_sync_at: datetime | None
    last_sync_status: str | None

    @classmethod
    def of(cls, module: Module, vendor_name: str) -> ModuleOut:
        return cls(
            key=module.key,
            name=module.name,
            vendor=vendor_name,
            default_branch=module.default_branch,
            profile=module.profile,
            schedule=module.schedule,
            lines_of_code=module.lines_of_code,
            last_sync_at=module.last_sync_at,
            last_sync_status=module.last_sync_status,
        )


class ModuleDetailOut(ModuleOut):
    remote: str | None = None
    last_sync_message: str | None = None
    latest_scan: ScanDetailOut | None = None


class FindingOut(BaseModel):
    """A finding as the API shows it: identity and tracking first, then where and what."""

    id: int
    fingerprint: str
    state: str
    waived: bool
    rule: str = Field(description="The scanner's namespaced rule id, e.g. bandit:B105.")
    standard_rule: str | None = Field(
        description="The standards rule it counts toward (catalogue: /standards/{rule}); null: none."
    )
    standard: str | None = Field(description="That rule's standard; null when it counts toward no rule.")
    tool: str
    severity: str = Field(description="Govern's one severity scale: blocker, critical, major, minor, info.")
    message: str = Field(description="Detected secret values are masked (a short prefix kept).")
    path: str
    line: int
    end_line: int

    @classmethod
    def of(cls, f: Finding) -> FindingOut:
        return cls.model_validate({**f.model_dump(), "id": f.id or 0, "state": str(f.state)})


class FindingPage(PageMeta):
    scan_id: int | None
    items: list[FindingOut]


class RequirementOut(BaseModel):
    key: str
    module: str
    title: str
    priority: str
    status: str
    owner: str | None
    parent: str | None = Field(default=None, description="Key of the parent requirement (same module)")
    created_at: datetime
    updated_at: datetime | None

    @classmethod
    def of(cls, r: Requirement, module_key: str) -> RequirementOut:
        return cls(
            key=r.key,
            module=module_key,
            title=r.title,
            priority=r.priority,
            status=str(r.status),
            owner=r.owner,
            parent=r.parent_key,
            created_at=r.created_at,
            updated_at=r.updated_at,
        )


class TransitionOut(BaseModel):
    from_status: str | None
    to_status: str
    actor: str
    reason: str
    at: datetime

    @classmethod
    def of(cls, t: RequirementTransition) -> TransitionOut:
        return cls(from_status=t.from_status, to_status=t.to_status, actor=t.actor, reason=t.reason, at=t.at)


class LinkOut(BaseModel):
    kind: str
    target: str
    detail: str
    commit_sha: str | None

    @classmethod
    def of(cls, link: RequirementLink) -> LinkOut:
        return cls(kind=link.kind, target=link.target, detail=link.detail, commit_sha=link.commit_sha)


class RequirementDetailOut(RequirementOut):
    description: str = ""
    acceptance_criteria: str = ""
    children: list[str] = Field(default=[], description="Keys of the requirements directly below it")
    transitions: list[TransitionOut] = []
    links: list[LinkOut] = []


class RequirementPage(PageMeta):
    items: list[RequirementOut]


class AuditEventOut(BaseModel):
    seq: int
    at: datetime
    actor: str
    action: str
    target_type: str
    target_id: str
    data: dict[str, Any]
    hash: str

    @classmethod
    def of(cls, e: AuditEvent) -> AuditEventOut:
        return cls(
            seq=e.seq,
            at=e.at,
            actor=e.actor,
            action=e.action,
            target_type=e.target_type,
            target_id=e.target_id,
            data=e.data,
            hash=e.hash,
        )


class AuditPage(PageMeta):
    items: list[AuditEventOut]


class MoveIn(BaseModel):
    """A requested move of a requirement to another status."""

    to: str = Field(min_length=1, max_length=20, description="Target status, e.g. in_progress")
    reason: str = Field(default="", max_length=2000)
