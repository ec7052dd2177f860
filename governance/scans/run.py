"""The path of a scan: mirror → tree → plan → execute → project checks → track → evaluate → commit.

:meth:`ScanRunner._steps` reads as those eight steps; each takes the frozen values of the
steps before it (:mod:`governance.scans.steps`) and git is reached only through the
:class:`MirrorSource`. One coordinator runs a scan under a lease it renews from a
background thread; any failure marks the scan failed with its reason, and nothing of it
is written but that. :func:`run_scan` is the one composition (executor + runner + close)
that the CLI, the scheduler, ``serve``, the demo, the dogfood check and the benchmarks call.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session

from governance.config import Settings
from governance.db import Database
from governance.errors import GovernError, InvalidInput, said
from governance.evidence.sarif_findings import imported_findings
from governance.executors.base import Executor
from governance.executors.factory import make_executor
from governance.mirrors.blame import blame_findings
from governance.mirrors.repo import mirror_path
from governance.mirrors.service import sync_module
from governance.registry.models import Module
from governance.scans import crossdup, notices, persist, projectstep, service
from governance.scans.baseline import track_against_baseline
from governance.scans.cache import CacheStore, DatabaseCache, RefreshingCache
from governance.scans.crossdup import CrossResult
from governance.scans.engine import Analysis, Progress, execute
from governance.scans.judge import evaluate_scan, evaluation_inputs, refresh_traceability
from governance.scans.lease import Lease
from governance.scans.models import Scan
from governance.scans.planner import Planner
from governance.scans.profiles import judging_profile
from governance.scans.source import MirrorSource
from governance.scans.steps import Planned, Results, Target, Tracked
from governance.tickets import scanhook
from governance.tickets.facts import ScanFacts, build_facts
from governance.timeutil import utcnow
from scanners.base import ScanResult
from scanners.errors import ScannerError
from scanners.registry import Registry, build_registry
from standards.results import Evaluation

ScannerSettings = dict[str, dict[str, Any]]


def run_scan(
    database: Database,
    settings: Settings,
    scan_id: int,
    *,
    executor: Executor | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
    actor: str = "scanner",
    use_cache: bool = True,
    clock: Callable[[], datetime] = utcnow,
) -> Scan:
    """Run one queued scan to completion (or failure) and return it.

    Without ``executor`` the configured one is made (local pool of ``workers``, or
    Celery) and closed afterwards; a caller that runs many scans may pass its own.
    """
    own = executor is None
    chosen = make_executor(settings, workers=workers) if executor is None else executor
    try:
        runner = ScanRunner(
            database, settings, chosen, progress=progress, actor=actor, use_cache=use_cache, clock=clock
        )
        return runner.run(scan_id)
    finally:
        if own:
            chosen.close()


@dataclass
class Stopwatch:
    """Seconds spent in each step, for the scan's ``timings``."""

    started: float = field(default_factory=time.perf_counter)
    seconds: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        began = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - began

    def final(self) -> dict[str, float]:
        return {**self.seconds, "total": time.perf_counter() - self.started}


@dataclass
class ScanRunner:
    """Runs one queued scan to completion or failure."""

    database: Database
    settings: Settings
    executor: Executor
    progress: Progress | None = None
    actor: str = "scanner"
    use_cache: bool = True
    # The evaluation date and first-seen times come from here (waiver expiry is judged by it);
    # tests and the demo pass a controlled clock instead of waiting for days to pass.
    clock: Callable[[], datetime] = utcnow

    def cache(self) -> CacheStore:
        """The scan's cache: bypassed for reading by a ``--full`` scan."""
        return self.stored_cache() if self.use_cache else RefreshingCache(self.stored_cache())

    def stored_cache(self) -> CacheStore:
        """The cache as stored, whatever the scan: the other modules' facts are read from it."""
        return DatabaseCache(self.database.engine)

    def run(self, scan_id: int) -> Scan:
        owner = service.coordinator_id()
        with self.database.session() as session:
            service.claim(
                session, scan_id=scan_id, owner=owner, lease_seconds=self.settings.scan_lease_seconds
            )
        try:
            with Lease(self.database, scan_id, owner, self.settings.scan_lease_seconds) as lease:
                done = self._steps(self._target(scan_id), lease)
        except GovernError as exc:
            self._fail(scan_id, exc.message)
            raise
        except Exception as exc:
            self._fail(scan_id, f"{type(exc).__name__}: {exc}")
            raise
        self._notify(done)
        return done

    def _steps(self, target: Target, lease: Lease) -> Scan:
        clock = Stopwatch()
        with clock.step("mirror"):
            self.mirror(target)
        with clock.step("tree"):
            source = self.tree(target)
        with source:
            with clock.step("plan"):
                planned = self.plan(target, source)
            # Project checks run in this thread, after the per-file units: a side thread here was
            # the suspect of a fork-while-threaded hang of the dogfood scan (see CHANGELOG).
            with clock.step("analyse"):
                per_file = self.execute(planned)
            project, cross = self.project_checks(target, source, planned, clock)
            results = Results.combine(
                per_file,
                ScanResult.merge([project, ScanResult(cross.findings)]),
                self.imported(target, source),
                facts_computed=planned.planner.fact_store().total_computed,
                cross=cross.pairs,
            )
            lease.check()
            with clock.step("evaluate"):
                tracked = self.track(target, source, results)
                unknown = self.traceability(target, source)
            return self.evaluate_and_commit(target, source, results, tracked, unknown, clock)

    def _target(self, scan_id: int) -> Target:
        with self.database.session() as session:
            scan = service.get_scan(session, scan_id)
            module = session.get(Module, scan.module_id)
        assert module is not None
        return Target(scan_id, module, scan.branch, scan.commit_sha, judging_profile(module, self.settings))

    def mirror(self, target: Target) -> None:
        """Step 1: bring the mirror up to date when the scan is of a branch tip.

        The sync's own outcome is committed first, so a failed fetch stays recorded on the
        module even though it then fails the scan. A scan of a given commit (a vendor push)
        reads the mirror as it is.
        """
        if target.commit:
            return
        with self.database.session() as session:
            outcome = sync_module(session, settings=self.settings, key=target.module.key, actor=self.actor)
        outcome.raise_for_error()

    def tree(self, target: Target) -> MirrorSource:
        """Step 2: the commit's tree (paths and blob shas), no checkout."""
        return MirrorSource(mirror_path(self.settings, target.module.key), target.ref)

    def plan(self, target: Target, source: MirrorSource) -> Planned:
        """Step 3: cache keys for every (scanner, file); hits cost nothing, misses become units.

        The per-blob facts the project checks will need and miss become units too.
        """
        config = target.profile.scanners
        planner = Planner(registry=_registry(config), cache=self.cache(), read=source.read, config=config)
        plan = planner.plan(source.entries)
        scanners = projectstep.project_scanners(config)
        facts = projectstep.fact_plan(
            scanners,
            entries=source.entries,
            tree_sha=source.tree,
            store=planner.fact_store(),
            cache=self.cache(),
        )
        return Planned(planner, plan, scanners, facts)

    def execute(self, planned: Planned) -> Analysis:
        """Step 4: the units (scanners' and facts') on the executor; fresh results go into the cache."""
        store, requests = planned.planner.fact_store(), planned.facts.requests
        return execute(
            planned.plan,
            planned.planner,
            self.executor,
            self.progress,
            facts=store.units(requests, planned.facts.batches),
            take_facts=lambda result: store.accept(requests, result),
        )

    def project_checks(
        self, target: Target, source: MirrorSource, planned: Planned, clock: Stopwatch
    ) -> tuple[ScanResult, CrossResult]:
        """Step 5: rules about the repository as a whole, cached by tree, judged from per-blob
        facts (computed by the execute step's fact units, or cached): then the same facts
        against the other modules (duplicated code across modules and vendors)."""
        store = planned.planner.fact_store()
        with clock.step("project"):
            project = projectstep.project_checks(
                planned.scanners,
                entries=source.entries,
                read=source.read_one,
                tree_sha=source.tree,
                store=store,
                cache=self.cache(),
            )
        with clock.step("cross-module"), self.database.session() as session:
            peers = crossdup.peers(
                session, module=target.module, mirror_of=lambda key: mirror_path(self.settings, key)
            )
        with clock.step("cross-module"):
            return project, projectstep.cross_modules(
                planned.scanners,
                entries=source.entries,
                tree_sha=source.tree,
                peers=peers,
                store=store,
                cache=self.cache(),
                peer_cache=self.stored_cache(),
            )

    def imported(self, target: Target, source: MirrorSource) -> ScanResult:
        """Step 5 too: the commit's SARIF imports (a vendor's own tools) as findings."""
        with self.database.session() as session:
            return imported_findings(
                session, module_id=target.module.id or 0, commit=source.commit, read=source.read_one
            )

    def track(self, target: Target, source: MirrorSource, results: Results) -> Tracked:
        """Step 6: new / persisting / fixed against the closest complete ancestor scan."""
        with self.database.session() as session:
            scan = service.get_scan(session, target.scan_id)
            return track_against_baseline(
                session, scan=scan, source=source, results=results, now=self.clock()
            )

    def traceability(self, target: Target, source: MirrorSource) -> dict[str, tuple[str, ...]]:
        """Requirement links from the tree, committed on their own (short write locks)."""
        with self.database.session() as session:
            return refresh_traceability(session, target=target, source=source, cache=self.cache())

    def evaluate_and_commit(
        self,
        target: Target,
        source: MirrorSource,
        results: Results,
        tracked: Tracked,
        unknown: dict[str, tuple[str, ...]],
        clock: Stopwatch,
    ) -> Scan:
        """Steps 7 and 8 in one transaction: judge, then write the scan complete or not at all."""
        with self.database.session() as session:
            with clock.step("evaluate"):
                inputs = evaluation_inputs(
                    session,
                    target=target,
                    source=source,
                    results=results,
                    tracked=tracked,
                    unknown_markers=unknown,
                    now=self.clock(),
                )
                evaluation = evaluate_scan(inputs)
            return self.commit(session, target, source, results, tracked, evaluation, clock)

    def commit(
        self,
        session: Session,
        target: Target,
        source: MirrorSource,
        results: Results,
        tracked: Tracked,
        evaluation: Evaluation,
        clock: Stopwatch,
    ) -> Scan:
        """Step 8: findings, standard results, verdict, tickets and notices in the caller's transaction.

        Which findings need a ticket (and their authors, by git blame) is read before the
        first write; tickets are opened and verified after the scan's rows, in the same commit.
        """
        scan = service.get_scan(session, target.scan_id)
        waived = {f for r in evaluation.rules for f in r.waived_fingerprints}
        rows = persist.finding_rows(scan, list(results.findings), tracked.tracking, evaluation, waived)
        facts = self.ticket_facts(target, scan, source.commit, rows, evaluation)
        opening = scanhook.plan_opening(session, facts)
        mirror = mirror_path(self.settings, target.module.key)
        authors = blame_findings(mirror, source.commit, scanhook.blame_places(facts, opening))
        scan.commit_sha = source.commit
        scan.baseline_scan_id = tracked.baseline.scan_id if tracked.baseline else None
        scan.fixed_count = len(tracked.tracking.fixed)
        crossdup.add_rows(session, scan=scan, pairs=results.cross)
        done = persist.commit_scan(
            session,
            scan=scan,
            rows=rows,
            evaluation=evaluation,
            metrics=summary_metrics(results, tracked),
            timings=clock.final(),
            actor=self.actor,
        )
        scanhook.apply_scan(session, facts, opening, authors, actor=self.actor)
        notices.announce(session, scan=done, module=target.module)
        return done

    def ticket_facts(
        self, target: Target, scan: Scan, commit: str, rows: list[dict[str, Any]], evaluation: Evaluation
    ) -> ScanFacts:
        """What the tickets need of this scan (only the default branch's scans open or close any)."""
        module = target.module
        return build_facts(
            scan_id=target.scan_id,
            module_id=scan.module_id,
            vendor_id=module.vendor_id,
            commit=commit,
            default_branch=(scan.branch or module.default_branch) == module.default_branch,
            rows=rows,
            evaluation=evaluation,
            policy=target.profile.tickets,
            now=self.clock(),
        )

    def _notify(self, scan: Scan) -> None:
        """After commit: deliver the notices the commit enqueued (never inside its transaction)."""
        notices.deliver_after_commit(self.database, self.settings, scan.module_id, clock=self.clock)

    def _fail(self, scan_id: int, reason: str) -> None:
        with self.database.session() as session:
            service.fail(session, scan_id=scan_id, reason=reason, actor=self.actor)


def _registry(config: ScannerSettings) -> Registry:
    """Per-file scanners with the profile's settings; a setting a scanner refuses is a clear error."""
    per_file = {name: options for name, options in config.items() if name not in projectstep.project_names()}
    try:
        return build_registry(config=per_file)
    except ScannerError as exc:
        raise said(
            InvalidInput, "scanner settings of the standards profile: %(error)s", error=str(exc)
        ) from exc


def summary_metrics(results: Results, tracked: Tracked) -> dict[str, object]:
    """The scan's headline counts (the baseline and fixed count are columns of the scan)."""
    return {
        "files": results.files,
        "analysed": results.analysed,
        "from_cache": results.from_cache,
        "skipped": len(results.skipped),
        "findings": len(results.findings),
        "new": len(tracked.new),
        "sloc": results.sloc,
        "facts_computed": results.facts_computed,
        "seconds_by_scanner": dict(results.seconds_by_scanner),
        "worker_peak_mib": results.worker_peak_mib,
    }
