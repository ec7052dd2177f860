"""What a person reads about a module's evidence: one read model for the page (and exports)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session

from governance.evidence import attestations, upload
from governance.evidence.models import Attestation, EvidenceFile, ScanEvidence
from governance.registry.models import Module
from governance.requirements.matrix import latest_complete_scan
from governance.scans.models import Scan


@dataclass(frozen=True)
class AttestationRow:
    row: Attestation
    state: str


@dataclass(frozen=True)
class ModuleEvidence:
    """The latest complete scan's evidence, the uploads and the attestations of one module."""

    scan: Scan | None
    record: ScanEvidence | None
    uploads: list[EvidenceFile]
    attestations: list[AttestationRow]
    verification: dict[str, int] = field(default_factory=dict)

    @property
    def inputs(self) -> dict[str, Any]:
        return self.record.inputs if self.record else {}

    @property
    def tools(self) -> dict[str, Any]:
        return self.record.tool_versions if self.record else {}


def module_evidence(session: Session, *, module: Module, now: datetime) -> ModuleEvidence:
    scan = latest_complete_scan(session, module)
    record = session.get(ScanEvidence, scan.id) if scan and scan.id else None
    counts: dict[str, int] = {}
    for item in (record.inputs.get("requirements", {}) if record else {}).values():
        counts[item["verification"]] = counts.get(item["verification"], 0) + 1
    rows = [
        AttestationRow(a, attestations.state_on(a, now))
        for a in attestations.of_module(session, module_id=module.id or 0)
    ]
    return ModuleEvidence(scan, record, upload.list_evidence(session, module=module, limit=50), rows, counts)
