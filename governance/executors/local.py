"""The embedded executors: in this process (one worker) or a local process pool.

The pool uses the forkserver start method with the scanner modules preloaded, so each
worker starts warm, and recycles workers after a number of units so memory stays flat
however large the corpus is.
"""

from __future__ import annotations

import multiprocessing
import os
import select
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from governance.executors.work import run_unit
from governance.scans.units import UnitResult, WorkUnit

PRELOAD = [
    "scanners.registry",
    "scanners.pylint_scanner",
    "scanners.bandit_scanner",
    "scanners.radon_scanner",
    "governance.executors.work",
]


def watch_coordinator(coordinator: int) -> None:
    """Pool initializer: end this worker the moment the coordinator process ends.

    A worker's parent is the forkserver, not the coordinator, and it blocks on a queue whose
    write end it holds itself, so a SIGKILLed coordinator would leave it (and through it the
    forkserver and the resource tracker) running for ever. A daemon thread waits on the
    coordinator's pidfd (an event from the kernel, no polling) and exits the process.
    """
    try:
        handle = os.pidfd_open(coordinator)
    except ProcessLookupError:  # it died before this worker started
        os._exit(1)
    threading.Thread(
        target=_exit_when_readable, args=(handle,), name="govern-coordinator-watch", daemon=True
    ).start()


def _exit_when_readable(handle: int) -> None:
    select.select([handle], [], [])
    os._exit(1)


class InlineExecutor:
    """Runs units one after another in this process (``--workers 1``, tests)."""

    name = "inline"

    def run(self, units: Iterable[WorkUnit]) -> Iterator[UnitResult]:
        for unit in units:
            yield run_unit(unit)

    def close(self) -> None:
        """Nothing to release."""


class LocalPoolExecutor:
    """A pool of worker processes on this machine: one per core by default."""

    name = "local"

    def __init__(self, workers: int, *, units_per_worker: int = 200) -> None:
        self.workers = workers
        self.units_per_worker = units_per_worker
        self._started: ProcessPoolExecutor | None = None

    @property
    def _pool(self) -> ProcessPoolExecutor:
        """Started on the first unit: a scan served wholly from the cache starts no process."""
        if self._started is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(PRELOAD)
            self._started = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=context,
                max_tasks_per_child=self.units_per_worker,
                initializer=watch_coordinator,
                initargs=(os.getpid(),),
            )
        return self._started

    def run(self, units: Iterable[WorkUnit]) -> Iterator[UnitResult]:
        """Keep at most 2 units per worker in flight, so unit contents don't pile up in memory."""
        pending: set[Future[UnitResult]] = set()
        queue = iter(units)
        exhausted = False
        while not exhausted or pending:
            while not exhausted and len(pending) < 2 * self.workers:
                unit = next(queue, None)
                if unit is None:
                    exhausted = True
                else:
                    pending.add(self._pool.submit(run_unit, unit))
            if pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    yield self._result(future)

    @staticmethod
    def _result(future: Future[UnitResult]) -> UnitResult:
        try:
            return future.result()
        except BrokenProcessPool as exc:
            raise RuntimeError("a local worker died (out of memory?)") from exc

    def close(self) -> None:
        if self._started is not None:
            self._started.shutdown(wait=True, cancel_futures=True)
            self._started = None


def local_executor(workers: int) -> InlineExecutor | LocalPoolExecutor:
    """One worker runs inline; more get a process pool."""
    return InlineExecutor() if workers <= 1 else LocalPoolExecutor(workers)
