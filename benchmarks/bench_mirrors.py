"""Benchmark: first sync + ingest and no-op re-sync of a 20,000-commit, 5,000-file repository.

Compared, in the same run, with plain ``git clone --mirror`` and ``git fetch`` of the same
repository (file:// for both, so neither takes the hard-link shortcut). The repository is
generated with ``git fast-import`` (fast, and nothing is committed). Prints one JSON object.

Targets: ingest overhead at most 2x git's own time; a no-op re-sync under 1 s.
Run: ``python benchmarks/bench_mirrors.py [--commits N] [--files N]``.
"""

from __future__ import annotations

import argparse
import json
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


def run(commits: int, files: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="govern-bench-") as scratch:
        root = Path(scratch)
        source = root / "vendor.git"
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

        first, outcome = timed(sync)
        first_phases = dict(phases)
        phases.clear()
        noop, again = timed(sync)
        database.dispose()
    return {
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
            "ingest_overhead_at_most_2x": (first - first_phases["fetch_mirror"]) <= 2 * clone,
            "noop_under_1s": noop < 1.0,
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commits", type=int, default=20_000)
    parser.add_argument("--files", type=int, default=5_000)
    arguments = parser.parse_args()
    print(json.dumps(run(arguments.commits, arguments.files), indent=2))


if __name__ == "__main__":
    main()
