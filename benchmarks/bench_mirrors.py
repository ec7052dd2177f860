"""Benchmark: first sync + ingest and no-op re-sync of a generated or a real repository.

Compared, in the same run, with plain ``git clone --mirror`` and ``git fetch`` of the same
repository (file:// for both, so neither takes the hard-link shortcut). By default the
repository (20,000 commits over 5,000 files) is generated with ``git fast-import``; with
``--source`` a real history is used instead: its branches and tags (what Govern mirrors)
are first copied into a scratch bare repository, so git and Govern read the same refs.
``--profile`` adds the first sync's hottest functions (cProfile) and the time spent in each
git subcommand. Prints one JSON object.

Targets: first sync at most 2x ``git clone --mirror``; a no-op re-sync under 1 s.
Run: ``python benchmarks/bench_mirrors.py [--commits N] [--files N] [--source PATH_OR_URL] [--profile]``.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from functools import wraps
from pathlib import Path
from typing import Any

from governance.config import Settings
from governance.db import open_database
from governance.mirrors import service
from governance.mirrors.gitcmd import GIT
from governance.registry import service as registry


def _file(number: int, version: int) -> bytes:
    lines = [f"def function_{number}_{i}(value):\n    return value * {version + i}\n" for i in range(8)]
    return f"# module {number}, version {version}\n{''.join(lines)}".encode()


def _blob(data: bytes) -> bytes:
    return b"data %d\n%s\n" % (len(data), data)


def _stream(commits: int, files: int, seed: int = 7) -> Iterator[bytes]:
    rng, stamp = random.Random(seed), 1_700_000_000
    for n in range(commits):
        touched = range(files) if n == 0 else rng.sample(range(files), rng.randint(1, 3))
        message = f"BEN-{n % 500 + 1}: change {n}".encode()
        yield b"commit refs/heads/main\n"
        yield b"committer Bench <bench@example.com> %d +0000\n" % (stamp + n * 60)
        yield b"data %d\n%s\n" % (len(message), message)
        for number in touched:
            directory = f"pkg{number % 50}"
            yield f"M 644 inline {directory}/mod_{number}.py\n".encode() + _blob(_file(number, n))
        yield b"\n"


def generate(path: Path, commits: int, files: int) -> None:
    """A repository with ``commits`` linear commits over ``files`` Python files."""
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(path)], check=True)
    importer = subprocess.Popen(["git", "-C", str(path), "fast-import", "--quiet"], stdin=subprocess.PIPE)
    assert importer.stdin is not None
    for chunk in _stream(commits, files):
        importer.stdin.write(chunk)
    importer.stdin.close()
    if importer.wait() != 0:
        raise SystemExit("git fast-import failed")
    subprocess.run(["git", "-C", str(path), "repack", "-adq"], check=True)


def copy_source(source: str, path: Path) -> None:
    """Branches and tags of a real repository (a path or URL) in a scratch bare repository."""
    url = source if "://" in source or ":" in source.split("/")[0] else f"file://{Path(source).resolve()}"
    subprocess.run(["git", "clone", "-q", "--bare", "--no-local", url, str(path)], check=True)


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def _instrument(phases: dict[str, float]) -> None:
    """Time the phases of a sync by wrapping the service's collaborators."""
    for name in ("fetch_mirror", "ingest_commits", "count_lines"):
        original = getattr(service, name)

        def wrapper(*args: Any, _original: Any = original, _name: str = name, **kwargs: Any) -> Any:
            seconds, result = timed(lambda: _original(*args, **kwargs))
            phases[_name] = phases.get(_name, 0.0) + seconds
            return result

        setattr(service, name, wraps(original)(wrapper))


def _git_subcommand(args: Any) -> str | None:
    """The subcommand of a git command line (skipping ``-C path`` and ``-c key=value``), else None."""
    if not isinstance(args, list | tuple) or not args or args[0] != GIT:
        return None
    rest = [str(a) for a in args[1:]]
    while rest and rest[0] in ("-C", "-c"):
        rest = rest[2:]
    return rest[0] if rest else None


def _time_git(seconds: dict[str, float]) -> Callable[[], None]:
    """Add each finished ``subprocess.run`` of git to ``seconds[subcommand]``; returns an undo."""
    original = subprocess.run

    def run(args: Any, *rest: Any, **kwargs: Any) -> Any:
        elapsed, result = timed(lambda: original(args, *rest, **kwargs))
        name = _git_subcommand(args)
        if name:
            seconds[name] = seconds.get(name, 0.0) + elapsed
        return result

    subprocess.run = run

    def undo() -> None:
        subprocess.run = original

    return undo


def _profiled(action: Callable[[], Any], report: dict[str, Any]) -> Any:
    profiler, seconds = cProfile.Profile(), dict[str, float]()
    undo = _time_git(seconds)
    try:
        result = profiler.runcall(action)
    finally:
        undo()
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(25)
    report["git_subprocess_s"] = {k: round(v, 3) for k, v in sorted(seconds.items())}
    report["cprofile_top_cumulative"] = text.getvalue().splitlines()
    return result


def run(commits: int, files: int, source_repo: str | None = None, profile: bool = False) -> dict[str, Any]:
    profiled: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="govern-bench-") as scratch:
        root = Path(scratch)
        source = root / "vendor.git"
        if source_repo:
            generation, _ = timed(lambda: copy_source(source_repo, source))
            commits = int(
                subprocess.run(
                    ["git", "-C", str(source), "rev-list", "--count", "--all"],
                    capture_output=True,
                    check=True,
                    text=True,
                ).stdout
            )
            files = len(
                subprocess.run(
                    ["git", "-C", str(source), "ls-tree", "-r", "--name-only", "HEAD"],
                    capture_output=True,
                    check=True,
                    text=True,
                ).stdout.splitlines()
            )
        else:
            generation, _ = timed(lambda: generate(source, commits, files))
        url = f"file://{source}"
        plain = root / "plain.git"
        clone, _ = timed(
            lambda: subprocess.run(["git", "clone", "-q", "--mirror", url, str(plain)], check=True)
        )
        fetch, _ = timed(lambda: subprocess.run(["git", "-C", str(plain), "fetch", "-q"], check=True))
        settings = Settings(data_dir=root / "data")
        database = open_database(settings)
        with database.session() as session:
            registry.create_vendor(session, name="Bench", actor="bench")
            registry.create_module(session, key="BEN", vendor="Bench", remote=url, actor="bench")
        phases: dict[str, float] = {}
        _instrument(phases)

        def sync() -> service.SyncOutcome:
            with database.session() as session:
                outcome = service.sync_module(session, settings=settings, key="BEN", actor="bench")
            outcome.raise_for_error()
            return outcome

        first, outcome = timed((lambda: _profiled(sync, profiled)) if profile else sync)
        first_phases = dict(phases)
        phases.clear()
        noop, again = timed(sync)
        database.dispose()
    return {
        "source": source_repo or "generated",
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "commits": commits,
        "files": files,
        "generation_s": round(generation, 2),
        "git_clone_mirror_s": round(clone, 3),
        "git_fetch_noop_s": round(fetch, 3),
        "govern_first_sync_s": round(first, 3),
        "govern_first_phases_s": {k: round(v, 3) for k, v in first_phases.items()},
        "ingested_commits": outcome.new_commits,
        "lines_of_code": outcome.lines_of_code,
        "first_sync_commits_per_s": round(commits / first),
        "ingest_only_commits_per_s": round(commits / first_phases["ingest_commits"]),
        "first_sync_vs_clone_ratio": round(first / clone, 2),
        "ingest_overhead_vs_clone_ratio": round((first - first_phases["fetch_mirror"]) / clone, 2),
        "govern_noop_resync_s": round(noop, 3),
        "noop_new_commits": again.new_commits,
        "noop_phases_s": {k: round(v, 3) for k, v in phases.items()},
        "noop_vs_fetch_ratio": round(noop / fetch, 2),
        "targets": {
            "first_sync_at_most_2x_clone": first <= 2 * clone,
            "ingest_overhead_at_most_2x": (first - first_phases["fetch_mirror"]) <= 2 * clone,
            "noop_under_1s": noop < 1.0,
        },
        **profiled,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commits", type=int, default=20_000)
    parser.add_argument("--files", type=int, default=5_000)
    parser.add_argument("--source", help="a real repository (path or URL) instead of a generated one")
    parser.add_argument("--profile", action="store_true", help="cProfile and git timings of the first sync")
    arguments = parser.parse_args()
    print(json.dumps(run(arguments.commits, arguments.files, arguments.source, arguments.profile), indent=2))


if __name__ == "__main__":
    main()
