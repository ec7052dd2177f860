"""Scanner engine benchmark (issue 4): Govern against pylint + bandit + radon run by hand.

On a real corpus of >= 100k lines (pip 24.2's sdist, vendored libraries included), in one
run: the raw tools one after another; Govern's cold scan on the local pool; a rescan of
the unchanged files; a rescan after 1% of the files change (spread over the tree),
checked equal to a cold scan of the changed files; peak worker memory at two sizes.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import tempfile
from pathlib import Path

from benchmarks.common import children_peak_mib, emit, lines_of, raw_python_tools, sdist, timed
from governance.config import Settings
from governance.db import open_database
from governance.executors.local import local_executor
from governance.scans.cache import DatabaseCache, MemoryCache
from governance.scans.engine import Analysis, analyse
from governance.scans.files import DiskFiles
from governance.scans.planner import Planner
from scanners.registry import build_registry

SCANNERS = ["pylint", "bandit", "radon"]


def _analyse(root: Path, package: str, cache, workers: int) -> Analysis:  # type: ignore[no-untyped-def]
    files = DiskFiles([root / package], base=root)
    planner = Planner(registry=build_registry(enabled=SCANNERS), cache=cache, read=files.read)
    executor = local_executor(workers)
    try:
        return analyse(files.entries(), planner, executor)
    finally:
        executor.close()


def _touch_one_percent(root: Path, package: str, seed: int = 7) -> int:
    paths = sorted((root / package).rglob("*.py"))
    chosen = random.Random(seed).sample(paths, max(1, len(paths) // 100))
    for path in chosen:
        with path.open("a", encoding="utf-8") as handle:
            handle.write(
                "\n\ndef _bench_added(value):\n    if value:\n        return value * 2\n    return None\n"
            )
    return len(chosen)


def _signature(analysis: Analysis) -> list[tuple[str, str, int, str]]:
    return [(f.rule, f.path, f.line, f.fingerprint) for f in analysis.findings]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", default="pip==24.2")
    parser.add_argument("--package", default="src/pip")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--skip-raw", action="store_true", help="Govern only (no raw-tool baseline).")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="govern-bench-"))
    root = work / "corpus"
    shutil.copytree(sdist(args.corpus), root)
    files = sorted(str(p.relative_to(root)) for p in (root / args.package).rglob("*.py"))
    lines = lines_of([root / f for f in files])

    raw = {} if args.skip_raw else raw_python_tools(root, files)
    database = open_database(Settings(data_dir=work / "data"))
    cache = DatabaseCache(database.engine)
    cold, cold_s = timed(lambda: _analyse(root, args.package, cache, args.workers))
    peak_full = children_peak_mib()
    again, again_s = timed(lambda: _analyse(root, args.package, cache, args.workers))
    changed = _touch_one_percent(root, args.package)
    incremental, incremental_s = timed(lambda: _analyse(root, args.package, cache, args.workers))
    reference = _analyse(root, args.package, MemoryCache(), args.workers)
    raw_total = sum(raw.values())
    emit(
        "scan_engine",
        {
            "corpus": args.corpus,
            "files": len(files),
            "lines": lines,
            "workers": args.workers,
            "raw_tools_seconds": raw,
            "raw_tools_total_seconds": raw_total,
            "govern_cold_seconds": cold_s,
            "speedup_cold_vs_raw": raw_total / cold_s if raw else None,
            "govern_unchanged_rescan_seconds": again_s,
            "unchanged_rescan_speedup_vs_cold": cold_s / again_s,
            "changed_files": changed,
            "govern_1pct_rescan_seconds": incremental_s,
            "one_percent_rescan_speedup_vs_cold": cold_s / incremental_s,
            "one_percent_rescan_equals_cold_scan": _signature(incremental) == _signature(reference),
            "analyses_rerun_after_1pct": incremental.analysed,
            "findings": len(cold.findings),
            "unchanged_rescan_from_cache": again.from_cache,
            "peak_worker_mib": peak_full,
        },
    )


if __name__ == "__main__":
    main()
