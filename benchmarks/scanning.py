"""Scanning a registered module from a benchmark, on the local pool or on Celery workers.

The benchmarks queue a scan as the CLI does (``request_scan``) and run it through the one
composition (:func:`governance.scans.run.run_scan`), timing the whole call from outside.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from governance.config import Settings
from governance.db import Database
from governance.executors.base import Executor
from governance.executors.celery_app import make_celery
from governance.executors.celery_executor import CeleryExecutor
from governance.registry import service as registry
from governance.scans.models import Scan
from governance.scans.run import run_scan
from governance.scans.service import request_scan
from tests.waiting import wait_for

WORKER = [sys.executable, "-m", "governance.cli.app", "worker", "--concurrency", "1"]


def scan_module(
    database: Database, settings: Settings, executor: Executor, *, key: str = "BEN", use_cache: bool = True
) -> tuple[float, Scan]:
    """Queue a manual scan of ``key``'s branch tip and run it; (wall seconds, the finished scan)."""
    with database.session() as session:
        scan, _ = request_scan(
            session, module=registry.get_module(session, key), trigger="manual", actor="bench"
        )
    assert scan.id is not None  # committed by request_scan
    started = time.perf_counter()
    done = run_scan(database, settings, scan.id, executor=executor, actor="bench", use_cache=use_cache)
    return time.perf_counter() - started, done


@contextmanager
def celery_workers(settings: Settings, count: int, *, log: Path | None = None) -> Iterator[CeleryExecutor]:
    """``count`` `govern worker` processes (one unit at a time each) on ``settings.broker_url``,
    polled until all answer a ping; yields an executor that sends them units, then stops them."""
    env = {**os.environ, "GOVERN_BROKER_URL": settings.broker_url}
    with ExitStack() as stack:
        output = stack.enter_context(log.open("ab")) if log is not None else subprocess.DEVNULL
        workers = [
            subprocess.Popen(
                [*WORKER, "--name", f"bench{n}@%h"],
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
            for n in range(count)
        ]
        try:
            app = make_celery(settings)
            wait_for(lambda: len(app.control.ping(timeout=0.5) or []) >= count, f"{count} workers answer")
            yield CeleryExecutor(app)
        finally:
            for worker in workers:
                worker.terminate()
            for worker in workers:
                worker.wait()
