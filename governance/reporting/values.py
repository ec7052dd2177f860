"""What a report says, as frozen values: assembled by :mod:`governance.reporting.assemble`
with the reader's scope, rendered by ``reports/`` into HTML, PDF, CSV, XLSX, JSON and SARIF.

Nothing here reads the database. Findings are the one part that can be large (a portfolio
holds a million): a document carries them as a :class:`FindingStream`, a re-openable source
that each writer iterates once in its own session, plus a short ``top`` list for the pages
of HTML and PDF. Everything else (verdicts, standards, rules, waivers, histories) is small.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, NamedTuple

from governance.requirements.matrix import Coverage, TraceMatrix
from standards.results import GateCondition

ReportKind = Literal["scan", "module", "vendor", "portfolio"]
KINDS: tuple[ReportKind, ...] = ("scan", "module", "vendor", "portfolio")


@dataclass(frozen=True, slots=True)
class WaiverRow:
    """An approved waiver: who asked, who approved, why, until when (``None``: no expiry)."""

    id: int
    module: str
    kind: str
    target: str  # a fingerprint or a standards rule id
    reason: str
    requested_by: str
    approver: str | None
    decided_at: datetime | None
    expires_at: datetime | None


class FindingRow(NamedTuple):
    """One finding as every format writes it (waiver columns empty unless waived).

    A named tuple, not a frozen dataclass like the other values: a portfolio makes a million,
    and a frozen dataclass's ``__init__`` (a ``object.__setattr__`` per field) took ~9 µs each
    against ~0.8 µs here — eight seconds of a million-finding download. Just as immutable.
    """

    module: str
    scan_id: int
    rule: str  # the scanner's namespaced rule id, e.g. ``bandit:B105``
    standard_rule: str | None
    standard: str | None
    tool: str
    severity: str
    path: str
    line: int
    end_line: int
    message: str
    fingerprint: str
    state: str
    first_seen: datetime
    waived: bool = False
    waiver_kind: str | None = None
    waiver_by: str | None = None
    waiver_reason: str | None = None
    waiver_until: datetime | None = None
    #: The stored :class:`~scanners.wording.Wording` JSON of ``message`` when Govern wrote it
    #: (None for a tool's own words): documents a person reads show it in their language;
    #: the machine exports (CSV, JSON, SARIF) keep ``message``, in English.
    message_wording: dict[str, Any] | None = None


@dataclass(frozen=True)
class FindingStream:
    """Findings opened on demand (each call is a fresh iterator); ``count`` and the distinct
    rule ids (``rules``, for SARIF's rule table ahead of its results) known up front."""

    count: int
    open: Callable[[], Iterator[FindingRow]]
    rules: tuple[str, ...] = ()

    def __iter__(self) -> Iterator[FindingRow]:
        return self.open()

    @classmethod
    def of(cls, rows: tuple[FindingRow, ...]) -> FindingStream:
        """A stream over rows already in memory (tests, small documents)."""
        return cls(len(rows), lambda: iter(rows), tuple(sorted({row.rule for row in rows})))


@dataclass(frozen=True, slots=True)
class Verdict:
    """The gate: pass/fail and every condition with its measured value and threshold."""

    passed: bool | None
    new_code_passed: bool | None
    score: float | None
    level: str | None
    conditions: tuple[GateCondition, ...] = ()


@dataclass(frozen=True, slots=True)
class StandardRow:
    """One standard's score and level in one scan."""

    standard: str
    score: float | None
    level: str | None
    failed_rules: int


@dataclass(frozen=True, slots=True)
class RuleRow:
    """How one standards rule fared in one scan (title by language)."""

    module: str
    rule: str
    standard: str
    severity: str
    status: str
    measured: float | None
    threshold: float | None
    comparison: str
    count: int | None
    title: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ScanHeader:
    """Which scan: module, vendor, commit, profile and when."""

    id: int
    module: str
    vendor: str
    commit: str
    branch: str | None
    profile: str
    profile_digest: str | None
    status: str
    started_at: datetime | None
    finished_at: datetime | None
    fixed_count: int = 0


@dataclass(frozen=True, slots=True)
class ScanSummary:
    """A scan in a list: its header, verdict, standards and open findings per severity."""

    header: ScanHeader
    verdict: Verdict
    standards: tuple[StandardRow, ...]
    severities: Mapping[str, int]  # open (not fixed, not waived) findings per severity
    findings: int
    waived: int


@dataclass(frozen=True, slots=True)
class ReportMeta:
    """Who the document was made for and when; ``scope`` says what the reader may see."""

    kind: ReportKind
    title: str
    generated_at: datetime
    reader: str
    scope: str  # "all" or "vendor:<name>"


@dataclass(frozen=True)
class ScanReport:
    """One scan: verdict, standards, rules, waivers, findings."""

    meta: ReportMeta
    scan: ScanSummary
    rules: tuple[RuleRow, ...]
    waivers: tuple[WaiverRow, ...]
    top: tuple[FindingRow, ...]
    findings: FindingStream


@dataclass(frozen=True)
class ModuleReport:
    """One module over time: its scans' history, its latest scan, its requirements."""

    meta: ReportMeta
    module: str
    vendor: str
    lines_of_code: int
    history: tuple[ScanSummary, ...]  # oldest first
    latest: ScanReport | None
    matrix: TraceMatrix


@dataclass(frozen=True)
class ModuleLine:
    """A module in a vendor or portfolio document: its latest scan (None: never scanned)."""

    module: str
    vendor: str
    lines_of_code: int
    latest: ScanSummary | None
    coverage: Coverage


@dataclass(frozen=True)
class Overview:
    """What a document over many modules holds: each module's line, open findings per
    severity, failing rules, approved waivers, the top findings and all of them."""

    modules: tuple[ModuleLine, ...]
    severities: Mapping[str, int]
    rules: tuple[RuleRow, ...]
    waivers: tuple[WaiverRow, ...]
    top: tuple[FindingRow, ...]
    findings: FindingStream


@dataclass(frozen=True, kw_only=True)
class VendorReport(Overview):
    """One vendor: its modules' latest verdicts, open findings, waivers."""

    meta: ReportMeta
    vendor: str


@dataclass(frozen=True, kw_only=True)
class PortfolioReport(Overview):
    """Every module the reader may see (a vendor's portfolio is its own modules only)."""

    meta: ReportMeta
    vendors: tuple[str, ...]


Report = ScanReport | ModuleReport | VendorReport | PortfolioReport
