"""The analysis core shared by `govern scan` and `govern scan-files`.

plan against the cache → run the misses on an executor → store what is new in the cache
→ merge hits and fresh results into one :class:`Analysis`. No database rows are made
here: the scan service turns an Analysis into a committed scan.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain

from governance.executors.base import Executor
from governance.scans.planner import FileEntry, Plan, Planner
from governance.scans.units import FACTS_UNIT, FileResult, UnitResult, WorkUnit, findings_of, skips_of
from scanners.base import Finding, Skip

Progress = Callable[[str, int], None]  # (event: "cached"|"analysed"|"skipped", count)


@dataclass
class Analysis:
    """Findings, per-file metrics and skips of one tree, with where they came from."""

    findings: list[Finding] = field(default_factory=list)
    metrics: dict[str, dict[str, float]] = field(default_factory=dict)
    skipped: list[Skip] = field(default_factory=list)
    files: int = 0
    from_cache: int = 0
    analysed: int = 0
    seconds_by_scanner: dict[str, float] = field(default_factory=dict)
    worker_peak_mib: float = 0.0  # the largest worker's peak memory (flat as corpora grow)

    def add(self, scanner: str, path: str, entry: FileResult) -> None:
        """Take one file's result (from the cache or a worker)."""
        self.findings.extend(findings_of(entry))
        self.skipped.extend(skips_of(entry))
        if entry.get("metrics"):
            self.metrics.setdefault(path, {}).update(namespaced(scanner, entry["metrics"]))

    def sort(self) -> None:
        """A deterministic order, whatever the executor's completion order was."""
        self.findings.sort(key=lambda f: (f.path, f.line, f.rule, f.fingerprint))
        self.skipped.sort(key=lambda s: (s.path, s.tool, s.reason))


RAW_SIZE = frozenset({"loc", "sloc", "lloc", "comments", "multi", "blank"})


def namespaced(scanner: str, metrics: dict[str, float]) -> dict[str, float]:
    """``mi`` from radon becomes ``radon.mi``; ``pylint_score`` becomes ``pylint.score``.

    Standards bind metrics as ``<scanner>.<metric>`` so two tools' metrics never collide;
    radon's raw size counts are also kept under their plain names (``sloc``), which the
    standards use as the size of a file whatever language it is in.
    """
    named = {f"{scanner}.{name.removeprefix(scanner + '_')}": value for name, value in metrics.items()}
    if scanner == "radon":
        named.update({name: value for name, value in metrics.items() if name in RAW_SIZE})
    return named


def analyse(
    entries: Sequence[FileEntry], planner: Planner, executor: Executor, progress: Progress | None = None
) -> Analysis:
    """Analyse every file of ``entries`` with every applicable scanner, reusing the cache."""
    return execute(planner.plan(entries), planner, executor, progress)


def execute(
    plan: Plan,
    planner: Planner,
    executor: Executor,
    progress: Progress | None = None,
    *,
    facts: Iterable[WorkUnit] = (),
    take_facts: Callable[[UnitResult], None] | None = None,
) -> Analysis:
    """Take a plan's cache hits, run its units on ``executor``, cache what they produce.

    ``facts`` are units of per-blob facts for the project checks: they run on the same
    executor beside the scanners' units, and their results go to ``take_facts``.
    """
    analysis = Analysis(files=plan.planned_files)
    notify = progress or (lambda _event, _count: None)
    _take_hits(plan, analysis, notify)
    analysis.skipped.extend(plan.skipped)
    notify("skipped", len({s.path for s in plan.skipped}))
    for result in executor.run(chain(facts, _materialised(planner, plan))):
        _count(result, analysis)
        if result.scanner == FACTS_UNIT:
            if take_facts is not None:
                take_facts(result)
            continue
        _take_result(result, planner, analysis, notify)
    analysis.sort()
    return analysis


def _materialised(planner: Planner, plan: Plan) -> Iterator[WorkUnit]:
    for spec in plan.units:
        yield planner.materialise(spec)


def _take_hits(plan: Plan, analysis: Analysis, notify: Progress) -> None:
    for (scanner, path), entry in plan.hits.items():
        analysis.add(scanner, path, entry)
    analysis.from_cache = len(plan.hits)
    notify("cached", len({path for _scanner, path in plan.hits}))


def _take_result(result: UnitResult, planner: Planner, analysis: Analysis, notify: Progress) -> None:
    fresh: dict[str, FileResult] = {}
    for path, entry in result.per_file.items():
        analysis.add(result.scanner, path, entry)
        if path in result.keys and path not in result.uncacheable:
            fresh[result.keys[path]] = entry
    planner.store(result.scanner, fresh)
    analysis.analysed += len(result.per_file)
    notify("analysed", len(result.per_file))


def _count(result: UnitResult, analysis: Analysis) -> None:
    """A unit's seconds and memory, the project facts' units (``facts``) as the scanners' ones."""
    analysis.seconds_by_scanner[result.scanner] = (
        analysis.seconds_by_scanner.get(result.scanner, 0.0) + result.seconds
    )
    analysis.worker_peak_mib = max(analysis.worker_peak_mib, result.peak_mib)
