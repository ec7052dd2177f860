"""The monthly report's figures as frozen values, and their JSON form (stored with the report)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class ModuleMonth:
    """One module's month: scans, findings new/fixed, gate at the start and at the end."""

    module: str
    vendor: str
    scans: int
    findings_new: int
    findings_fixed: int
    gate_before: bool | None
    gate_after: bool | None
    lines_of_code: int


@dataclass(frozen=True)
class MonthlySummary:
    """What changed in the portfolio in one month (every module, every vendor: PMs and auditors read it)."""

    month: str
    start: datetime
    end: datetime
    scans: int
    findings_new: int
    findings_fixed: int
    gate_to_fail: tuple[str, ...]
    gate_to_pass: tuple[str, ...]
    requirements_delivered: tuple[str, ...]
    lines_of_code: int
    lines_change: int | None
    waivers_granted: int
    waivers_expired: int
    modules: tuple[ModuleMonth, ...]

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["start"], data["end"] = self.start.isoformat(), self.end.isoformat()
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MonthlySummary:
        fields = dict(data)
        fields["start"] = datetime.fromisoformat(data["start"])
        fields["end"] = datetime.fromisoformat(data["end"])
        for name in ("gate_to_fail", "gate_to_pass", "requirements_delivered"):
            fields[name] = tuple(data[name])
        fields["modules"] = tuple(ModuleMonth(**row) for row in data["modules"])
        return cls(**fields)


@dataclass(frozen=True)
class RenderedFile:
    """A document the injected renderer made from a summary."""

    format: str
    lang: str
    filename: str
    media_type: str
    content: bytes
