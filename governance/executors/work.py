"""What a worker does with one unit: build the scanner, scan the batch, split per file.

Used identically by the local pool, the in-process executor and Celery tasks, so every
executor gives the same findings. Scanners are built once per worker process.
"""

from __future__ import annotations

import gc
import json
import resource
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from governance.scans.units import FACTS_UNIT, FileResult, UnitResult, WorkUnit, split_by_file
from scanners.base import Batch, Scanner
from scanners.blobfacts import facts_of
from scanners.registry import build_registry


@lru_cache(maxsize=32)
def _scanner(name: str, config_json: str) -> Scanner:
    return build_registry(config={name: json.loads(config_json)}, enabled=[name]).get(name)


def scanner_for(unit: WorkUnit) -> Scanner:
    return _scanner(unit.scanner, json.dumps(unit.config, sort_keys=True))


#: The collector's thresholds while a unit runs (CPython's default is (700, 10, 10)).
UNIT_GC_THRESHOLD = (50_000, 20, 100)


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Collect garbage less often while a unit runs; the caller's thresholds come back after.

    astroid and pylint build hundreds of thousands of nodes that live as long as the unit, and
    with the default thresholds the collector walks them again and again. Raw pylint on Django
    5.1.4's `django/db` (118 files): 36.8 CPU-s with the default thresholds, 29.6 with these,
    peak memory 286 against 288 MB (the collector off: 29.2 CPU-s, 316 MB). Neither tool holds
    weak references, so when a cycle is collected cannot change a finding.
    """
    before = gc.get_threshold()
    gc.set_threshold(*UNIT_GC_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def run_fact_unit(unit: WorkUnit) -> UnitResult:
    """Per-blob facts of a unit's files; a file whose facts fail has ``facts`` None (the
    coordinator then computes them itself, so a bad file never fails the scan)."""
    started = time.perf_counter()
    requests = [(str(kind), dict(options)) for kind, options in unit.config["requests"]]
    per_file: dict[str, FileResult] = {}
    for source in unit.files:
        try:
            facts: list[Any] | None = [
                dict(f) if f is not None else None for f in facts_of(source.content, requests)
            ]
        except Exception:  # pylint: disable=broad-exception-caught  # the coordinator retries it
            facts = None
        per_file[source.path] = {"findings": [], "metrics": {}, "skipped": [], "facts": facts}
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return UnitResult(unit.scanner, per_file, unit.keys, time.perf_counter() - started, (), peak)


def run_unit(unit: WorkUnit) -> UnitResult:
    """Scan one unit; a scanner that raises fails the unit's files, never the scan."""
    with fewer_collections():
        if unit.scanner == FACTS_UNIT:
            return run_fact_unit(unit)
        return _scan_unit(unit)


def _scan_unit(unit: WorkUnit) -> UnitResult:
    started = time.perf_counter()
    paths = tuple(f.path for f in unit.files)
    try:
        result = scanner_for(unit).scan(Batch(unit.files, unit.context))
        per_file, uncacheable = split_by_file(result, paths)
    except Exception as exc:  # pylint: disable=broad-exception-caught
        reason = f"scanner crashed: {type(exc).__name__}: {exc}"[:500]
        per_file = {
            p: {
                "findings": [],
                "metrics": {},
                "skipped": [{"path": p, "tool": unit.scanner, "reason": reason}],
            }
            for p in paths
        }
        uncacheable = list(paths)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB
    return UnitResult(
        unit.scanner, per_file, unit.keys, time.perf_counter() - started, tuple(uncacheable), peak
    )


def run_unit_json(data: dict[str, Any]) -> dict[str, Any]:
    """JSON in, JSON out: the Celery task body."""
    return run_unit(WorkUnit.from_json(data)).to_json()
