"""Scale rehearsal at the deployment's shape (issue 14).

Why: the per-line figures of ``bench_pipeline`` come from one module on SQLite. The
deployment is 12 modules of several vendors, 5,510 requirements and 29.31M lines on
PostgreSQL, scanned cold once and nightly after; what limits it first (the database, the
broker, pylint or git) shows only at that shape. So this benchmark builds that shape at
≥ 3M lines measured here and times each leg:

(a) mirror sync + ingestion of the 12 modules, and the 12 requirement registers imported;
(b) the cold scan of every module on the local pool of N workers;
(c) the nightly rescan after 1% of each module's files change (a commit naming requirements);
(d) the rescan with nothing changed;
(e) the cold scan again on Celery with N worker processes (Redis broker; cache bypassed), then
    a nightly rescan there.

The database is a throwaway PostgreSQL for every leg, so local and Celery write to the same
kind of server and differ only by the executor. Each leg's wall time is split into git,
planning, executing (the units' seconds by scanner, pylint's share), project checks,
database (tracking, judging inputs, the commit) and, from Celery against local on the same
work, the broker; the per-line costs are then taken to 29.31M lines on 1, 4 and 16 machines
of 2 cores (:mod:`benchmarks.rehearsal_model`).

``--scale`` scales the generated volume and the requirements, and below 0.25 takes small
sdists: ``--scale 0.02`` is a smoke run of minutes. The default (1.0) is the full run of hours.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from benchmarks.common import emit
from benchmarks.rehearsal_model import DEPLOYMENT_LINES, Figures, leg, projection, verdict
from benchmarks.rehearsal_world import (
    Module,
    build_modules,
    change,
    chosen,
    import_registers,
    register,
    tracked_lines,
)
from benchmarks.scanning import celery_workers, scan_module
from governance.config import Settings
from governance.db import Database, open_database
from governance.executors.base import Executor
from governance.executors.local import local_executor
from governance.mirrors.service import sync_module
from tests.servers import postgres_server, redis_server


def _timed(action: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = action()
    return time.perf_counter() - started, value


def scan_all(
    database: Database,
    settings: Settings,
    executor: Executor,
    modules: list[Module],
    *,
    cold: bool,
    workers: int,
) -> dict[str, Any]:
    """One leg: every module scanned in turn (``cold``: nothing read from the cache)."""
    figures = []
    started = time.perf_counter()
    for module in modules:
        wall, scan = scan_module(database, settings, executor, key=module.key, use_cache=not cold)
        figures.append(Figures.of(module.key, wall, scan))
        _progress(figures[-1])
    return leg(figures, time.perf_counter() - started, workers)


def _progress(figures: Figures) -> None:
    """Each scan's figures on stderr as it ends: a run of hours stopped early still says something."""
    print(json.dumps(dataclasses.asdict(figures), default=float), file=sys.stderr, flush=True)


def change_all(modules: list[Module], seed: int) -> int:
    """The nightly 1%: in every module, a commit naming two of its requirements."""
    return sum(change(module, seed=seed + module.index, what="nightly change") for module in modules)


def sync_all(database: Database, settings: Settings, modules: list[Module]) -> dict[str, Any]:
    """Leg (a): each module's first sync (clone into its mirror, ingest the commits), as `govern
    mirror sync` does it."""
    per_module, commits = {}, 0
    for module in modules:
        started = time.perf_counter()
        with database.session() as session:
            outcome = sync_module(session, settings=settings, key=module.key, actor="bench")
        per_module[module.key] = time.perf_counter() - started
        outcome.raise_for_error()
        commits += outcome.new_commits
    return {"wall_seconds": sum(per_module.values()), "per_module_seconds": per_module, "commits": commits}


def local_legs(database: Database, settings: Settings, modules: list[Module], workers: int) -> dict[str, Any]:
    """Legs (b), (c), (d) on one local pool."""
    pool = local_executor(workers)
    try:
        cold = scan_all(database, settings, pool, modules, cold=False, workers=workers)  # empty cache
        changed = change_all(modules, seed=5000)
        nightly = scan_all(database, settings, pool, modules, cold=False, workers=workers)
        unchanged = scan_all(database, settings, pool, modules, cold=False, workers=workers)
    finally:
        pool.close()
    return {"cold": cold, "nightly": {**nightly, "changed_files": changed}, "unchanged": unchanged}


def celery_legs(
    database: Database, settings: Settings, modules: list[Module], workers: int, log: Path
) -> dict[str, Any]:
    """Leg (e): cold (cache bypassed) and nightly on ``workers`` Celery worker processes."""
    with celery_workers(settings, workers, log=log) as executor:
        cold = scan_all(database, settings, executor, modules, cold=True, workers=workers)
        changed = change_all(modules, seed=6000)
        nightly = scan_all(database, settings, executor, modules, cold=False, workers=workers)
    return {"cold": cold, "nightly": {**nightly, "changed_files": changed}}


@contextmanager
def servers(database_url: str | None, broker_url: str | None) -> Iterator[tuple[str, str]]:
    """The given URLs, or throwaway PostgreSQL and Redis on loopback (the tests' servers)."""
    with ExitStack() as stack:
        database = database_url or stack.enter_context(postgres_server())
        broker = broker_url or f"{stack.enter_context(redis_server())}/0"
        yield database, broker


def extrapolation(legs: dict[str, Any], lines: int) -> dict[str, Any]:
    """Per-line costs to 29.31M lines on M machines, cold and nightly, and the bottleneck."""
    local, celery = legs["local"], legs.get("celery")
    broker = {
        kind: celery[kind]["phases_seconds"]["execute_gap"] - local[kind]["phases_seconds"]["execute_gap"]
        if celery
        else 0.0
        for kind in ("cold", "nightly")
    }
    cold = projection(local["cold"], lines, broker["cold"])
    nightly = projection(local["nightly"], lines, broker["nightly"])
    first_sync = legs["sync"]["wall_seconds"] / lines * DEPLOYMENT_LINES / 3600
    return {
        "deployment_lines": DEPLOYMENT_LINES,
        "broker_overhead_seconds_measured": broker,
        "cold": cold,
        "nightly_1pct": nightly,
        "first_sync_hours_one_machine": first_sync,
        "bottleneck": verdict(cold, nightly, local["cold"]["pylint_share_of_units"]),
    }


def rehearse(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    started = time.perf_counter()
    build_s, modules = _timed(lambda: build_modules(work, args.scale, args.deliveries))
    lines_by_language = tracked_lines(modules)
    lines = sum(lines_by_language.values())
    with servers(args.database_url, args.broker_url) as (database_url, broker_url):
        settings = Settings(data_dir=work / "data", database_url=database_url, broker_url=broker_url)
        database = open_database(settings)
        try:
            register(database, modules)
            requirements_s, created = _timed(lambda: import_registers(database, modules, work))
            legs: dict[str, Any] = {"sync": sync_all(database, settings, modules)}
            print(
                json.dumps({"lines": lines, "requirements": created, "sync": legs["sync"]}),
                file=sys.stderr,
                flush=True,
            )
            legs["local"] = local_legs(database, settings, modules, args.workers)
            if not args.skip_celery:
                legs["celery"] = celery_legs(database, settings, modules, args.workers, work / "workers.log")
        finally:
            database.dispose()
    return {
        "scale": args.scale,
        "modules": len(modules),
        "vendors": len({m.part.vendor for m in modules}),
        "python_parts": {m.key: chosen(m.part, args.scale)[0] for m in modules},
        "lines": lines,
        "lines_by_language": lines_by_language,
        "meets_3M_lines": lines >= 3_000_000,
        "requirements": {"imported": sum(created.values()), "seconds": requirements_s},
        "deliveries_per_module": args.deliveries,
        "workers": args.workers,
        "build_seconds": build_s,
        "legs": legs,
        "extrapolation_29_31M_lines": extrapolation(legs, lines),
        "total_seconds": time.perf_counter() - started,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0: >= 3M lines; 0.02: a smoke run")
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count() or 2, help="local pool size; Celery worker processes"
    )
    parser.add_argument("--deliveries", type=int, default=6, help="commits after the initial delivery")
    parser.add_argument("--database-url", default=None, help="default: a throwaway PostgreSQL")
    parser.add_argument("--broker-url", default=None, help="default: a throwaway Redis")
    parser.add_argument("--skip-celery", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="govern-rehearsal-"))
    try:
        emit("rehearsal", rehearse(args, work))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
