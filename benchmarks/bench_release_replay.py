"""Release replay (issue 14): real released sdists committed one after another as deliveries.

A vendor repository receives each release of a real project (its sdist, as released on
PyPI) as one commit; with ``--git`` it receives instead the trees of a real repository's
last commits (first parent, those touching ``--parts``). For every delivery, in one run:
``mirror sync + scan`` reusing the cache (the nightly case; the first delivery is the cold
scan), then a ``--full`` scan of the same commit; the two must record the same findings.
Also counted per delivery: file results analysed and taken from the cache (all scanners),
beside the Python files whose static import closure changed (what the previous pylint key
would have re-run). Finally the no-change rescan. Every figure is a ratio of two
measurements of this run; the load average is reported with each step.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from sqlmodel import select

from benchmarks.common import emit, sdist
from governance.config import Settings
from governance.db import Database, open_database
from governance.executors.base import Executor
from governance.executors.local import local_executor
from governance.registry import service as registry
from governance.scans.files import git_blob_id
from governance.scans.models import Finding, Scan
from governance.scans.run import run_scan
from governance.scans.service import request_scan
from scanners.imports import ImportGraph

KEY = "REL"


def _git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "vendor", "GIT_AUTHOR_EMAIL": "v@example.com"}
    env |= {"GIT_COMMITTER_NAME": "vendor", "GIT_COMMITTER_EMAIL": "v@example.com"}
    done = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True, env=env
    )
    return done.stdout.strip()


def _deliver(repo: Path, release: Path, message: str, parts: list[str]) -> str:
    """Replace the repository's tree by the release's files (or only ``parts`` of it) and commit."""
    for child in repo.iterdir():
        if child.name != ".git":
            shutil.rmtree(child) if child.is_dir() else child.unlink()
    for part in parts or ["."]:
        source = release / part
        if source.is_dir():
            shutil.copytree(source, repo / part, dirs_exist_ok=True)
        elif source.is_file():
            shutil.copy2(source, repo / part)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "--allow-empty", "-m", message)
    return _git(repo, "rev-parse", "HEAD")


def _commit_trees(history: Path, count: int, parts: list[str], into: Path) -> list[tuple[str, Path]]:
    """The last ``count`` first-parent commits touching ``parts``, oldest first, as extracted trees."""
    shas = _git(history, "log", "--first-parent", "--format=%H", "-n", str(count), "HEAD", "--", *parts)
    trees = []
    for sha in reversed(shas.split()):
        where = into / sha[:12]
        where.mkdir(parents=True)
        archive = subprocess.run(
            ["git", "-C", str(history), "archive", sha, *parts], capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(where)], input=archive, check=True)
        trees.append((sha[:12], where))
    return trees


def _python(repo: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(repo)): p.read_bytes() for p in sorted(repo.rglob("*.py")) if ".git" not in p.parts
    }


def _closure_changes(before: dict[str, bytes] | None, after: dict[str, bytes]) -> int:
    """Python files whose (blob, static closure digest) differs: the previous key's re-runs."""

    def keys(files: dict[str, bytes]) -> dict[str, tuple[str, str]]:
        graph = ImportGraph.build(files)
        blobs = {p: git_blob_id(c) for p, c in files.items()}
        return {p: (blobs[p], graph.closure_digest(p, blobs)) for p in files}

    now = keys(after)
    if before is None:
        return len(now)
    old = keys(before)
    return sum(1 for p, k in now.items() if old.get(p) != k)


def _scan(database: Database, settings: Settings, executor: Executor, *, commit: str | None, full: bool):  # type: ignore[no-untyped-def]
    with database.session() as session:
        queued, _ = request_scan(
            session, module=registry.get_module(session, KEY), trigger="manual", actor="bench", commit=commit
        )
    started = time.perf_counter()
    done = run_scan(database, settings, queued.id, executor=executor, actor="bench", use_cache=not full)
    return time.perf_counter() - started, done


def _findings(database: Database, scan: Scan) -> set[tuple[str, str, int, str]]:
    with database.session() as session:
        rows = session.exec(select(Finding).where(Finding.scan_id == scan.id)).all()
        return {(r.fingerprint, r.rule, r.line, r.message) for r in rows}


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--project", default="flask")
    parser.add_argument("--versions", default="3.0.0,3.0.1,3.0.2,3.0.3,3.1.0")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument(
        "--parts", default="", help="comma-separated folders/files of each sdist to deliver (default: all)"
    )
    parser.add_argument("--git", type=Path, help="replay this repository's real commits instead of sdists")
    parser.add_argument("--commits", type=int, default=12, help="with --git: how many of the last commits")
    args = parser.parse_args()
    parts = [p for p in args.parts.split(",") if p]
    work = Path(tempfile.mkdtemp(prefix="govern-release-replay-"))
    delivered = parts or ["everything"]
    if args.git:
        trees = _commit_trees(args.git, args.commits, parts, work / "history")
        versions, releases = [label for label, _ in trees], [tree for _, tree in trees]
        parts = []  # the archives hold only the parts already
    else:
        versions = args.versions.split(",")
        releases = [sdist(f"{args.project}=={v}") for v in versions]
    repo = work / "vendor"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    settings = Settings(data_dir=work / "data")
    database = open_database(settings)
    with database.session() as session:
        registry.create_vendor(session, name="Vendor", actor="bench")
        registry.create_module(session, key=KEY, vendor="Vendor", remote=str(repo), actor="bench")
    pool = local_executor(args.workers)
    steps: list[dict[str, object]] = []
    previous: dict[str, bytes] | None = None
    try:
        for version, release in zip(versions, releases, strict=True):
            sha = _deliver(repo, release, f"release {version}", parts)
            python = _python(repo)
            load = _load()
            nightly, scan = _scan(database, settings, pool, commit=None, full=False)
            full, full_scan = _scan(database, settings, pool, commit=sha, full=True)
            mine, theirs = _findings(database, scan), _findings(database, full_scan)
            equal = mine == theirs
            steps.append(
                {
                    "release": version,
                    "python_files": len(python),
                    "static_closure_reruns": _closure_changes(previous, python),
                    "analysed_file_results": scan.metrics["analysed"],
                    "cached_file_results": scan.metrics["from_cache"],
                    "scan_seconds": round(nightly, 2),
                    "full_seconds": round(full, 2),
                    "full_over_incremental": round(full / nightly, 2),
                    "findings": scan.metrics["findings"],
                    "findings_equal": equal,
                    "load_before": load,
                }
            )
            if not equal:  # what differs, so a failed law can be diagnosed from the output
                steps[-1]["only_incremental"] = [list(f) for f in sorted(mine - theirs)[:5]]
                steps[-1]["only_full"] = [list(f) for f in sorted(theirs - mine)[:5]]
            previous = python
        unchanged, _ = _scan(database, settings, pool, commit=None, full=False)
    finally:
        pool.close()
        database.dispose()
    deliveries = steps[1:]
    emit(
        "release_replay",
        {
            "project": str(args.git) if args.git else args.project,
            "delivered": delivered,
            "workers": args.workers,
            "steps": steps,
            "median_full_over_incremental": statistics.median(s["full_over_incremental"] for s in deliveries)  # type: ignore[misc]
            if deliveries
            else None,
            "all_findings_equal": all(s["findings_equal"] for s in steps),
            "no_change_rescan_seconds": round(unchanged, 2),
            "cold_over_no_change": round(float(steps[0]["scan_seconds"]) / unchanged, 1),  # type: ignore[arg-type]
            "load_after": _load(),
        },
    )
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
