"""Helpers shared by the benchmarks: corpora, timing, raw-tool runs, JSON output."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
CACHE = Path.home() / ".cache" / "govern-bench"


def sdist(requirement: str) -> Path:
    """A released sdist, downloaded once into the benchmark cache and extracted."""
    where = CACHE / requirement.replace("==", "-")
    if not where.exists():
        where.mkdir(parents=True)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "-q",
                "--no-deps",
                "--no-binary",
                ":all:",
                requirement,
                "-d",
                str(where),
            ],
            check=True,
        )
        with tarfile.open(next(where.glob("*.tar.gz"))) as archive:
            archive.extractall(where, filter="data")
    return next(p for p in where.iterdir() if p.is_dir())


def timed(function: Callable[[], T]) -> tuple[T, float]:
    started = time.perf_counter()
    value = function()
    return value, time.perf_counter() - started


@contextmanager
def stopwatch() -> Iterator[dict[str, float]]:
    box: dict[str, float] = {}
    started = time.perf_counter()
    yield box
    box["seconds"] = time.perf_counter() - started


def run_tool(args: Sequence[str], cwd: Path) -> float:
    """Seconds to run a raw tool by hand (its output is discarded; exit codes ignored)."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", *args],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    return time.perf_counter() - started


def raw_python_tools(root: Path, files: Sequence[str]) -> dict[str, float]:
    """Seconds of pylint, bandit and radon (cc, mi, raw) run by hand on ``files``, one after
    another, with the settings Govern runs them with (pylint: no rc file, no cross-file checks)."""
    rc = Path(tempfile.mkdtemp()) / "empty-rc"
    rc.write_text("")
    pylint = ["pylint", f"--rcfile={rc}", "--persistent=n", "--jobs=1", "--output-format=json2"]
    return {
        "pylint": run_tool([*pylint, "--disable=duplicate-code,cyclic-import", *files], root),
        "bandit": run_tool(["bandit", "-q", "-f", "json", *files], root),
        "radon": sum(run_tool(["radon", kind, "-j", *files], root) for kind in ("cc", "mi", "raw")),
    }


def children_peak_mib() -> float:
    """Peak resident memory of the largest child process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def lines_of(paths: Sequence[Path]) -> int:
    return sum(p.read_bytes().count(b"\n") for p in paths)


def emit(name: str, result: dict[str, Any]) -> None:
    """Print one benchmark's JSON result and keep it under bench-results/."""
    text = json.dumps({"benchmark": name, **result}, indent=2)
    print(text)
    out = Path("bench-results")
    out.mkdir(exist_ok=True)
    (out / f"{name}.json").write_text(text + "\n", encoding="utf-8")
