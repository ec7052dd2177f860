"""The values passed between the eight steps of a scan (see :mod:`governance.scans.run`).

Each step takes the frozen values of the steps before it and returns its own, so what a
step may depend on is visible in its signature and no step can change another's output.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from governance.registry.models import Module
from governance.scans.crossdup import PairCount
from governance.scans.engine import Analysis
from governance.scans.factstore import FactPlan
from governance.scans.planner import Plan, Planner
from governance.scans.tracking import Tracking
from scanners.base import Finding, ProjectScanner, ScanResult, Skip
from standards.facts import ChangeKind, RepositoryFacts
from standards.profile_model import EffectiveProfile
from standards.results import Waiver


@dataclass(frozen=True)
class Target:
    """What one queued scan asks for: a module, a branch or commit, the profile to judge by."""

    scan_id: int
    module: Module
    branch: str | None
    commit: str  # as requested ("" = the branch tip after a mirror sync)
    profile: EffectiveProfile

    @property
    def ref(self) -> str:
        return self.commit or f"refs/heads/{self.branch}"


@dataclass(frozen=True)
class Planned:
    """Step 3: cache hits and the work units for the misses, with the planner that made them."""

    planner: Planner
    plan: Plan
    scanners: tuple[ProjectScanner, ...] = ()  # the project checks, with the profile's settings
    facts: FactPlan = field(default_factory=FactPlan)  # per-blob facts they need that are missing, as units


@dataclass(frozen=True)
class Results:
    """Steps 4 and 5 merged: every finding of the tree once (by fingerprint), metrics, skips."""

    findings: tuple[Finding, ...]
    metrics: Mapping[str, Mapping[str, float]]
    skipped: tuple[Skip, ...]
    files: int
    analysed: int
    from_cache: int
    seconds_by_scanner: Mapping[str, float] = field(default_factory=dict)
    worker_peak_mib: float = 0.0
    facts_computed: int = 0  # per-blob facts computed (not from the cache) for this tree
    cross: tuple[PairCount, ...] = ()  # code also in other modules, per other module

    @classmethod
    def combine(
        cls,
        per_file: Analysis,
        project: ScanResult,
        imported: ScanResult | None = None,
        *,
        facts_computed: int = 0,
        cross: tuple[PairCount, ...] = (),
    ) -> Results:
        """Per-file analysis plus project checks (and imported SARIF results); a fingerprint two
        scanners report is kept once.

        Two scanners can report the same fingerprint only for the same rule and line.
        """
        unique: dict[str, Finding] = {}
        extra = imported.findings if imported is not None else ()
        for finding in (*per_file.findings, *project.findings, *extra):
            unique.setdefault(finding.fingerprint, finding)
        metrics: dict[str, dict[str, float]] = {p: dict(v) for p, v in per_file.metrics.items()}
        for path, values in project.metrics.items():
            metrics.setdefault(path, {}).update(values)
        return cls(
            findings=tuple(unique.values()),
            metrics=metrics,
            skipped=(*per_file.skipped, *project.skipped),
            files=per_file.files,
            analysed=per_file.analysed,
            from_cache=per_file.from_cache,
            seconds_by_scanner=dict(per_file.seconds_by_scanner),
            worker_peak_mib=per_file.worker_peak_mib,
            facts_computed=facts_computed,
            cross=cross,
        )

    @property
    def sloc(self) -> float:
        return sum(m.get("sloc", 0) for m in self.metrics.values())


@dataclass(frozen=True)
class Baseline:
    """The complete scan this one is tracked against (closest ancestor on the branch)."""

    scan_id: int
    commit: str


@dataclass(frozen=True)
class Tracked:
    """Step 6: each finding new or persisting against the baseline; what the baseline had that is gone."""

    baseline: Baseline | None
    tracking: Tracking
    changed: Mapping[str, ChangeKind]  # path -> A/M/D since the baseline commit

    @property
    def new(self) -> frozenset[str]:
        return frozenset(fp for fp, t in self.tracking.current.items() if t.state == "new")


@dataclass(frozen=True)
class EvaluationInputs:
    """Everything the standards judge a scan on (step 7); add a field to add an input."""

    profile: EffectiveProfile
    as_of: date
    findings: tuple[Finding, ...]
    metrics: Mapping[str, Mapping[str, float]]
    facts: RepositoryFacts
    new_fingerprints: frozenset[str]
    waivers: tuple[Waiver, ...]
