"""The path of a scan: mirror → tree → plan → execute → project checks → track → evaluate → commit.

One coordinator runs it under a lease it renews from a background thread; any failure
marks the scan failed with its reason, and nothing of it is written but that.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from governance import audit
from governance.config import Settings
from governance.db import Database
from governance.errors import GovernError, InvalidInput
from governance.executors.base import Executor
from governance.mirrors.gitcmd import run_git
from governance.mirrors.repo import mirror_path
from governance.mirrors.service import sync_module
from governance.registry.models import Module
from governance.requirements.links import refresh_links
from governance.scans import persist, service
from governance.scans.cache import CacheStore, DatabaseCache, RefreshingCache
from governance.scans.engine import Analysis, Progress, analyse
from governance.scans.facts import gather
from governance.scans.models import Finding, Scan
from governance.scans.planner import Planner
from governance.scans.profiles import builtin_catalogue, organisation_profiles
from governance.scans.project import run_project_checks
from governance.scans.source import MirrorSource
from governance.scans.tracking import Tracking, track
from governance.scans.waived import evaluation_waivers
from governance.timeutil import as_utc, utcnow
from governance.webhooks.delivery import deliver, events_for
from scanners.base import Finding as FindingValue
from scanners.base import ScanResult
from scanners.errors import ScannerError
from scanners.registry import PROJECT_SCANNER_GROUP, Registry, build_project_scanners, build_registry, find
from standards.errors import StandardError
from standards.evaluate import evaluate
from standards.facts import RepositoryFacts
from standards.profile_model import EffectiveProfile
from standards.profiles import effective_profile
from standards.results import Evaluation
from standards.results import Waiver as WaiverValue

log = logging.getLogger(__name__)
MARKER_MAX_BYTES = 1_000_000  # requirement markers are read from source files, not blobs of data


@dataclass
class Lease:
    """Renews a scan's lease every third of its length until stopped."""

    database: Database
    scan_id: int
    owner: str
    seconds: int
    lost: threading.Event = field(default_factory=threading.Event)
    _stop: threading.Event = field(default_factory=threading.Event)

    def __enter__(self) -> Lease:
        threading.Thread(target=self._loop, name=f"lease-{self.scan_id}", daemon=True).start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()

    def _loop(self) -> None:
        while not self._stop.wait(self.seconds / 3):
            try:
                with self.database.session() as session:
                    if not service.renew(
                        session, scan_id=self.scan_id, owner=self.owner, lease_seconds=self.seconds
                    ):
                        self.lost.set()
                        return
            except sa.exc.OperationalError as exc:  # database busy or briefly away: try next period
                log.warning("scan %s: lease not renewed this time: %s", self.scan_id, exc.orig)


def _baseline(session: Session, scan: Scan, source: MirrorSource) -> Scan | None:
    """The complete scan of the branch at the closest ancestor of this commit (or this commit).

    Closest by commit distance, then newest: a scan of an older commit in between never
    becomes the baseline of the branch tip, so it cannot corrupt the branch's tracking.
    """
    candidates = session.exec(
        select(Scan)
        .where(
            Scan.module_id == scan.module_id,
            Scan.branch == scan.branch,
            Scan.status == "complete",
            Scan.id != scan.id,
        )
        .order_by(col(Scan.finished_at).desc())
        .limit(20)
    ).all()
    best: tuple[int, int] | None = None
    chosen = None
    for rank, candidate in enumerate(candidates):
        distance = source.distance_from(candidate.commit_sha)
        if distance is not None and (best is None or (distance, rank) < best):
            best, chosen = (distance, rank), candidate
    return chosen


def _baseline_seen(session: Session, baseline: Scan | None) -> dict[str, datetime]:
    if baseline is None:
        return {}
    rows = session.exec(
        select(Finding.fingerprint, Finding.first_seen_at).where(Finding.scan_id == baseline.id)
    ).all()
    return {fingerprint: as_utc(seen) for fingerprint, seen in rows}


def _changed(source: MirrorSource, baseline: Scan | None) -> dict[str, str]:
    if baseline is None:
        return {}
    out = run_git(source.mirror, "diff", "--name-status", "--no-renames", baseline.commit_sha, source.commit)
    kinds = {"A": "A", "M": "M", "D": "D", "T": "M", "C": "A"}
    changed = {}
    for line in out.decode("utf-8", "replace").splitlines():
        status, _, path = line.partition("\t")
        changed[path] = kinds.get(status[:1], "M")
    return changed


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
    # tests pass a controlled clock instead of waiting for days to pass.
    clock: Callable[[], datetime] = utcnow

    def cache(self) -> CacheStore:
        store = DatabaseCache(self.database.engine)
        return store if self.use_cache else RefreshingCache(store)

    def run(self, scan_id: int) -> Scan:
        owner = service.coordinator_id()
        with self.database.session() as session:
            service.claim(
                session, scan_id=scan_id, owner=owner, lease_seconds=self.settings.scan_lease_seconds
            )
        try:
            with Lease(self.database, scan_id, owner, self.settings.scan_lease_seconds) as lease:
                done = self._run(scan_id, lease)
        except GovernError as exc:
            self._fail(scan_id, exc.message)
            raise
        except Exception as exc:
            self._fail(scan_id, f"{type(exc).__name__}: {exc}")
            raise
        self._notify(done)
        return done

    def _notify(self, scan: Scan) -> None:
        """After commit: webhooks for "scan completed" / "gate failed", each delivery audited."""
        with self.database.session() as session:
            module = session.get(Module, scan.module_id)
            assert module is not None
            payload = {
                "module": module.key,
                "scan": scan.id,
                "commit": scan.commit_sha,
                "score": scan.score,
                "level": scan.level,
                "gate_passed": scan.gate_passed,
            }
            for event in events_for(scan.gate_passed):
                for outcome in deliver(module.settings or {}, event, payload):
                    audit.record(
                        session,
                        actor=self.actor,
                        action="webhook.delivery",
                        target_type="scan",
                        target_id=scan.id or 0,
                        data=asdict(outcome),
                    )

    def _fail(self, scan_id: int, reason: str) -> None:
        with self.database.session() as session:
            service.fail(session, scan_id=scan_id, reason=reason, actor=self.actor)

    def _run(self, scan_id: int, lease: Lease) -> Scan:
        timings: dict[str, float] = {}
        started = time.perf_counter()
        with self.database.session() as session:
            scan = service.get_scan(session, scan_id)
            module = session.get(Module, scan.module_id)
        assert module is not None
        profile = judging_profile(module, self.settings)
        if not scan.commit_sha:
            self._sync(module.key)
        path = mirror_path(self.settings, module.key)
        with MirrorSource(path, scan.commit_sha or f"refs/heads/{scan.branch}") as source:
            timings["tree"] = time.perf_counter() - started
            analysis = self._analyse(source, timings, profile.scanners)
            project = self._project(source, timings, profile.scanners)
            for finding in project.findings:
                analysis.findings.append(finding)
            analysis.skipped.extend(project.skipped)
            for key, values in project.metrics.items():
                analysis.metrics.setdefault(key, {}).update(values)
            if lease.lost.is_set():
                raise GovernError("the scan's lease was lost (swept as expired); results discarded")
            return self._judge_and_commit(scan_id, module, profile, source, analysis, timings, started)

    def _sync(self, key: str) -> None:
        """Step 1: bring the mirror up to date (a module fed by pushes is only re-ingested).

        The sync's own outcome is committed first, so a failed fetch stays recorded on the
        module even though it then fails the scan.
        """
        with self.database.session() as session:
            outcome = sync_module(session, settings=self.settings, key=key, actor=self.actor)
        outcome.raise_for_error()

    def _analyse(self, source: MirrorSource, timings: dict[str, float], config: ScannerSettings) -> Analysis:
        began = time.perf_counter()
        registry = _registry(config)
        planner = Planner(registry=registry, cache=self.cache(), read=source.read, config=config)
        analysis = analyse(source.entries, planner, self.executor, self.progress)
        timings["analyse"] = time.perf_counter() - began
        return analysis

    def _project(
        self, source: MirrorSource, timings: dict[str, float], config: ScannerSettings
    ) -> ScanResult:
        began = time.perf_counter()
        project_config = {name: options for name, options in config.items() if name in _project_names()}
        result = run_project_checks(
            build_project_scanners(config=project_config),
            paths=[e.path for e in source.entries],
            read=source.read_one,
            tree_sha=source.tree,
            cache=self.cache(),
        )
        timings["project"] = time.perf_counter() - began
        return result

    def _judge_and_commit(
        self,
        scan_id: int,
        module: Module,
        profile: EffectiveProfile,
        source: MirrorSource,
        analysis: Analysis,
        timings: dict[str, float],
        started: float,
    ) -> Scan:
        began = time.perf_counter()
        with self.database.session() as session:  # links commit on their own: short write locks
            unknown = _refresh_links(session, module, service.get_scan(session, scan_id), source)
        with self.database.session() as session:
            scan = service.get_scan(session, scan_id)
            scan.commit_sha = source.commit
            baseline = _baseline(session, scan, source)
            now = self.clock()
            tracking = _unique_tracking(analysis, _baseline_seen(session, baseline), now)
            reachable = set(run_git(source.mirror, "rev-list", source.commit).decode().split())
            facts = gather(
                session,
                module=module,
                paths=[e.path for e in source.entries],
                read=source.read_one,
                reachable=reachable,
                tags=source.tags(),
                changed=_changed(source, baseline),
                unknown_markers=unknown,
            )
            waivers = evaluation_waivers(session, module_id=module.id or 0)
            evaluation = _evaluate(profile, analysis, tracking, facts, waivers, now)
            waived = {f for r in evaluation.rules for f in r.waived_fingerprints}
            rows = persist.finding_rows(scan, analysis.findings, tracking, evaluation, waived)
            timings["evaluate"] = time.perf_counter() - began
            timings["total"] = time.perf_counter() - started
            metrics = _summary_metrics(analysis, tracking, baseline)
            return persist.commit_scan(
                session,
                scan=scan,
                rows=rows,
                evaluation=evaluation,
                metrics=metrics,
                timings=timings,
                actor=self.actor,
            )


def _refresh_links(
    session: Session, module: Module, scan: Scan, source: MirrorSource
) -> dict[str, tuple[str, ...]]:
    """Traceability from the scanned tree (branch tips of the default branch only).

    Returns references to keys that are not requirements of the module, by key, so the
    requirements standard can count them.
    """
    if scan.branch != module.default_branch:
        return {}
    contents = source.read([e.path for e in source.entries if e.size <= MARKER_MAX_BYTES])
    files = (
        (path, data.decode("utf-8", "replace"))
        for path, data in contents.items()
        if b"\x00" not in data[:8192]
    )
    refreshed = refresh_links(session, module=module, files=files, commit_sha=source.commit)
    unknown: dict[str, set[str]] = {}
    for reference in refreshed.unknown:
        if reference.path:
            unknown.setdefault(reference.key, set()).add(reference.path)
    return {key: tuple(sorted(paths)) for key, paths in unknown.items()}


def _unique_tracking(analysis: Analysis, seen: dict[str, datetime], now: datetime) -> Tracking:
    # Two scanners can report the same fingerprint only for the same rule and line: keep one.
    unique: dict[str, FindingValue] = {}
    for finding in analysis.findings:
        unique.setdefault(finding.fingerprint, finding)
    analysis.findings = list(unique.values())
    return track(unique, seen, now)


def judging_profile(module: Module, settings: Settings) -> EffectiveProfile:
    """The module's effective standards profile; a broken or unknown one is a clear error."""
    try:
        return effective_profile(
            module.profile, profiles=organisation_profiles(settings), catalogue=builtin_catalogue()
        )
    except StandardError as exc:
        raise InvalidInput(f"module {module.key}: standards profile {module.profile!r}: {exc}") from exc


ScannerSettings = dict[str, dict[str, Any]]


def _project_names() -> set[str]:
    return {ep.name for ep in find(PROJECT_SCANNER_GROUP)}


def _registry(config: ScannerSettings) -> Registry:
    """Per-file scanners with the profile's settings; a setting a scanner refuses is a clear error."""
    per_file = {name: options for name, options in config.items() if name not in _project_names()}
    try:
        return build_registry(config=per_file)
    except ScannerError as exc:
        raise InvalidInput(f"scanner settings of the standards profile: {exc}") from exc


def _evaluate(
    profile: EffectiveProfile,
    analysis: Analysis,
    tracking: Tracking,
    facts: RepositoryFacts,
    waivers: list[WaiverValue],
    now: datetime,
) -> Evaluation:
    new = {fp for fp, tracked in tracking.current.items() if tracked.state == "new"}
    return evaluate(
        profile,
        as_of=as_utc(now).date(),
        findings=analysis.findings,
        metrics=analysis.metrics,
        facts=facts,
        new_fingerprints=new,
        waivers=waivers,
    )


def _summary_metrics(analysis: Analysis, tracking: Tracking, baseline: Scan | None) -> dict[str, object]:
    new = sum(1 for t in tracking.current.values() if t.state == "new")
    return {
        "files": analysis.files,
        "analysed": analysis.analysed,
        "from_cache": analysis.from_cache,
        "skipped": len(analysis.skipped),
        "findings": len(analysis.findings),
        "new": new,
        "fixed": len(tracking.fixed),
        "baseline_scan": baseline.id if baseline else None,
        "sloc": sum(m.get("sloc", 0) for m in analysis.metrics.values()),
        "seconds_by_scanner": analysis.seconds_by_scanner,
        "worker_peak_mib": analysis.worker_peak_mib,
    }
