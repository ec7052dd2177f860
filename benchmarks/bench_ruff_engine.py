"""Cold `govern scan` under the default profile and the fast (ruff) profile against the raw tools.

Usage: ``python -m benchmarks.bench_ruff_engine [--workers 2]``. For each corpus (flask 3.1.0's
``src/flask`` and Django 5.1.4's ``django/db``, committed to a fresh git repository), in one run:
pylint + bandit + radon by hand one after another on the same files; then a cold full scan (fresh
database, nothing cached) under ``default`` and under ``fast``. Load averages are printed with
the figures, since the machine may be shared.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import emit, lines_of, raw_python_tools, sdist
from benchmarks.generate import build
from governance.config import Settings
from governance.db import open_database
from governance.executors.local import local_executor
from governance.registry import service as registry
from governance.scans.run import run_scan
from governance.scans.service import request_scan

CORPORA = (("flask==3.1.0", "src/flask"), ("django==5.1.4", "django/db"))
PROFILES = ("default", "fast")


def cold_scan(repo: Path, work: Path, profile: str, workers: int) -> dict[str, Any]:
    """One cold full scan of ``repo`` under ``profile`` in a fresh Govern: seconds and counts."""
    settings = Settings(data_dir=work / f"data-{profile}")
    database = open_database(settings)
    with database.session() as session:
        registry.create_vendor(session, name="Bench", actor="bench")
        registry.create_module(
            session, key="BEN", vendor="Bench", remote=str(repo), actor="bench", profile=profile
        )
        scan, _ = request_scan(
            session, module=registry.get_module(session, "BEN"), trigger="manual", actor="bench"
        )
    assert scan.id is not None  # committed by request_scan
    pool = local_executor(workers)
    started = time.perf_counter()
    try:
        done = run_scan(database, settings, scan.id, executor=pool, actor="bench")
    finally:
        pool.close()
    seconds = time.perf_counter() - started
    database.dispose()
    return {
        "seconds": round(seconds, 2),
        "findings": done.metrics.get("findings"),
        "seconds_by_scanner": done.metrics.get("seconds_by_scanner"),
        "level": done.level,
    }


def measure(requirement: str, sub: str, workers: int, profiles: tuple[str, ...] = PROFILES) -> dict[str, Any]:
    """Raw tools and the profiles' cold scans of one corpus, in one run."""
    work = Path(tempfile.mkdtemp(prefix="govern-ruff-bench-"))
    repo = work / "vendor"
    build(repo, sdist(requirement) / sub, java_files=0, sql_files=0)
    python = sorted(str(p.relative_to(repo)) for p in (repo / "src").rglob("*.py"))
    lines = lines_of([repo / p for p in python])
    load_before = os.getloadavg()
    raw = raw_python_tools(repo, python)
    raw_total = sum(raw.values())
    scans = {profile: cold_scan(repo, work, profile, workers) for profile in profiles}
    shutil.rmtree(work, ignore_errors=True)
    return {
        "corpus": f"{requirement} {sub}",
        "files": len(python),
        "lines": lines,
        "workers": workers,
        "raw_tools_seconds": {k: round(v, 2) for k, v in raw.items()},
        "raw_tools_total_seconds": round(raw_total, 2),
        "cold_scan": scans,
        "speedup_vs_raw": {p: round(raw_total / s["seconds"], 2) for p, s in scans.items()},
        "load_average_before_after": [load_before, os.getloadavg()],
    }


def main() -> None:
    """Measure each corpus and print one JSON result per corpus."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--corpus",
        action="append",
        metavar="REQUIREMENT:DIR",
        help="an sdist and the directory in it to scan, e.g. django==5.1.4:django (repeatable)",
    )
    parser.add_argument("--profiles", default=",".join(PROFILES), help="comma-separated profiles")
    args = parser.parse_args()
    corpora = [tuple(c.split(":", 1)) for c in args.corpus] if args.corpus else list(CORPORA)
    profiles = tuple(p for p in args.profiles.split(",") if p)
    for requirement, sub in corpora:
        name = f"ruff_engine_{requirement.partition('==')[0]}_{sub.replace('/', '_')}"
        emit(name, measure(requirement, sub, args.workers, profiles))


if __name__ == "__main__":
    main()
