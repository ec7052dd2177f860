"""Scan pipeline benchmark (issue 6): `govern scan` on a generated vendor repository.

The repository: a real sdist as the Python part (Django's ``django`` package by default,
~300k lines with the generated code) plus generated Java services and SQL migrations. In
one run: the raw tools by hand on the same files; Govern's cold full scan on the local
pool and on Celery with 2 workers (Redis on loopback, started here); the nightly rescan
after 1% of the Python files change; the no-change rescan. Then the measured cost per
line is extrapolated to the 29.31-million-line deployment.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from pathlib import Path

from benchmarks.common import emit, lines_of, raw_python_tools, run_tool, sdist
from benchmarks.generate import build, change_one_percent
from benchmarks.scanning import celery_workers, scan_module
from governance.config import Settings
from governance.db import Database, open_database
from governance.executors.local import local_executor
from governance.registry import service as registry
from tests.servers import redis_server

DEPLOYMENT_LINES = 29_310_000


def _raw(repo: Path) -> dict[str, float]:
    python = [str(p.relative_to(repo)) for p in sorted((repo / "src").rglob("*.py"))]
    return {**raw_python_tools(repo, python), "lizard": run_tool(["lizard", "java", "migrations"], repo)}


def _celery_cold(database: Database, settings: Settings) -> float:
    with celery_workers(settings, 2) as executor:
        seconds, _ = scan_module(database, settings, executor, use_cache=False)
    return seconds


def _extrapolate(cold_seconds: float, workers: int, lines: int, nightly_seconds: float) -> dict[str, object]:
    cpu_per_line = cold_seconds * workers / lines
    full = {f"{cores}_cores_hours": DEPLOYMENT_LINES * cpu_per_line / cores / 3600 for cores in (2, 16, 64)}
    nightly_minutes = nightly_seconds * DEPLOYMENT_LINES / lines / 60
    return {
        "cpu_seconds_per_1000_lines": cpu_per_line * 1000,
        "full_scan": full,
        "nightly_1pct_rescan_minutes_on_2_cores": nightly_minutes,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", default="django==5.1.4")
    parser.add_argument("--package", default="django")
    parser.add_argument("--java-files", type=int, default=300)
    parser.add_argument("--sql-files", type=int, default=200)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--skip-celery", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="govern-pipeline-bench-"))
    repo = work / "vendor"
    build(repo, sdist(args.corpus) / args.package, java_files=args.java_files, sql_files=args.sql_files)
    files = [p for p in repo.rglob("*") if p.is_file() and ".git" not in p.parts]
    lines = lines_of(files)
    raw = _raw(repo)
    settings = Settings(data_dir=work / "data")
    database = open_database(settings)
    with database.session() as session:
        registry.create_vendor(session, name="Bench", actor="bench")
        registry.create_module(session, key="BEN", vendor="Bench", remote=str(repo), actor="bench")
    pool = local_executor(args.workers)
    try:
        cold, first = scan_module(database, settings, pool)
        unchanged, _ = scan_module(database, settings, pool)
        changed_files = change_one_percent(repo)
        nightly, _ = scan_module(database, settings, pool)
    finally:
        pool.close()
    celery = None
    if not args.skip_celery:
        with redis_server() as redis_url:  # the same throwaway server the tests use
            celery = _celery_cold(database, settings.model_copy(update={"broker_url": f"{redis_url}/0"}))
    raw_total = sum(raw.values())
    emit(
        "pipeline",
        {
            "corpus": args.corpus,
            "files": len(files),
            "lines": lines,
            "workers": args.workers,
            "findings": first.metrics.get("findings"),
            "raw_tools_seconds": raw,
            "raw_tools_total_seconds": raw_total,
            "cold_local_seconds": cold,
            "cold_local_speedup_vs_raw": raw_total / cold,
            "cold_celery_2_workers_seconds": celery,
            "unchanged_rescan_seconds": unchanged,
            "unchanged_speedup_vs_cold": cold / unchanged,
            "changed_files": changed_files,
            "nightly_1pct_rescan_seconds": nightly,
            "nightly_speedup_vs_cold": cold / nightly,
            "extrapolation_29_31M_lines": _extrapolate(cold, args.workers, lines, nightly),
        },
    )
    database.dispose()
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
