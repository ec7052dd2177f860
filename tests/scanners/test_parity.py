"""PARITY: Govern's findings equal the raw tools' on a real code base nobody here wrote.

The corpus is click 8.1.7's released sdist (``src/click``, ~10k lines), downloaded with
pip once per session. Govern runs pylint/bandit/radon in-process on planned batches (each
with its import closure as context); the same tools run by hand (CLI, JSON output, one
invocation over all files, same options) must give the same findings.

Declared difference: pylint's cross-file messages duplicate-code (R0801) and
cyclic-import (R0401) are whole-repository results, run by the repository scanner; they
are removed from the CLI output before comparing. No other difference is tolerated.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from scanners.bandit_scanner import BanditScanner, parse_results
from scanners.base import Batch, ScanResult
from scanners.batching import BatchLimits, make_batch, plan_batches
from scanners.imports import ImportGraph
from scanners.pylint_scanner import CROSS_FILE, DEFAULT_ARGS, PylintScanner, parse_messages
from scanners.radon_scanner import RadonScanner, parse_cc, parse_mi

SDIST = "click==8.1.7"
CROSS_FILE_IDS = {"pylint:R0801", "pylint:R0401"}
TIMINGS: dict[str, float] = {}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Download and extract the sdist; fail (not skip) without network when CI=true."""
    where = tmp_path_factory.mktemp("parity")
    cmd = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "-q",
        "--no-deps",
        "--no-binary",
        ":all:",
        SDIST,
        "-d",
        str(where),
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False)
    archives = sorted(where.glob("*.tar.gz"))
    if done.returncode != 0 or not archives:
        message = f"cannot download {SDIST}: {done.stderr.strip()[-500:]}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    with tarfile.open(archives[0]) as archive:
        archive.extractall(where, filter="data")
    return next(p for p in where.iterdir() if p.is_dir())


@pytest.fixture(scope="session")
def files(corpus: Path) -> list[str]:
    """Repo-relative Python files of the corpus' package."""
    return sorted(str(p.relative_to(corpus)) for p in (corpus / "src").rglob("*.py"))


def _cli(corpus: Path, tool: str, *args: str) -> str:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", tool, *args],
        cwd=corpus,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    TIMINGS[f"{tool} cli"] = TIMINGS.get(f"{tool} cli", 0.0) + time.perf_counter() - started
    assert done.stdout, done.stderr
    return done.stdout


def _govern(corpus: Path, files: list[str], scanner: object, closure: bool) -> ScanResult:
    read: Callable[[str], bytes] = lambda p: (corpus / p).read_bytes()  # noqa: E731
    started = time.perf_counter()
    graph = ImportGraph.build({p: read(p) for p in files}) if closure else None
    sizes = {p: (corpus / p).stat().st_size for p in files}
    # Small units on purpose: with click's 16 files one default unit would hold them all,
    # and parity must hold when each unit only sees its own import closure as context.
    planned = plan_batches(sizes, BatchLimits(max_files=6), graph)
    assert len(planned) >= 3
    batches: list[Batch] = [make_batch(b, read, graph) for b in planned]
    result = ScanResult.merge(scanner.scan(b) for b in batches)  # type: ignore[attr-defined]
    TIMINGS[f"{scanner.name} govern"] = time.perf_counter() - started  # type: ignore[attr-defined]
    assert result.skipped == ()
    return result


def _key(finding: object) -> tuple[object, ...]:
    return (finding.rule, finding.path, finding.line, finding.message)  # type: ignore[attr-defined]


def test_pylint_parity(corpus: Path, files: list[str], tmp_path: Path) -> None:
    rcfile = tmp_path / "empty-rc"
    rcfile.write_text("")
    raw = _cli(
        corpus,
        "pylint",
        f"--rcfile={rcfile}",
        "--persistent=n",
        "--jobs=1",
        "--output-format=json2",
        *DEFAULT_ARGS,
        *files,
    )
    by_hand, skips = parse_messages(json.loads(raw)["messages"])
    declared = [d for d in by_hand if d.rule in CROSS_FILE_IDS]
    expected = Counter(_key(d) for d in by_hand if d.rule not in CROSS_FILE_IDS)
    assert skips == [] and sum(expected.values()) > 100  # a corpus that exercises pylint
    assert {d.rule for d in declared} <= CROSS_FILE_IDS and CROSS_FILE == (
        "duplicate-code",
        "cyclic-import",
    )
    got = Counter(_key(f) for f in _govern(corpus, files, PylintScanner(), closure=True).findings)
    assert got == expected, (got - expected, expected - got)


def test_bandit_parity(corpus: Path, files: list[str]) -> None:
    raw = json.loads(_cli(corpus, "bandit", "-q", "-f", "json", *files))
    for result in raw["results"]:
        result["filename"] = str(result["filename"]).removeprefix("./")
    expected = Counter(_key(d) for d in parse_results(raw["results"]))
    assert sum(expected.values()) > 0 and raw["errors"] == []
    got = Counter(_key(f) for f in _govern(corpus, files, BanditScanner(), closure=False).findings)
    assert got == expected


def test_radon_parity(corpus: Path, files: list[str]) -> None:
    cc = json.loads(_cli(corpus, "radon", "cc", "-j", *files))
    mi = json.loads(_cli(corpus, "radon", "mi", "-j", *files))
    expected = Counter(_key(d) for path, blocks in cc.items() for d in parse_cc(path, blocks))
    expected.update(_key(d) for path, entry in mi.items() for d in parse_mi(path, entry))
    assert sum(expected.values()) > 10
    result = _govern(corpus, files, RadonScanner(), closure=False)
    assert Counter(_key(f) for f in result.findings) == expected
    assert {p: round(m["mi"], 6) for p, m in result.metrics.items()} == {
        p: round(e["mi"], 6) for p, e in mi.items()
    }


def test_report_timings() -> None:
    """Prints in-process vs CLI wall time (run with -s); asserts the figures exist."""
    if not TIMINGS:
        pytest.skip("run with the parity tests to get timings")
    for name, seconds in sorted(TIMINGS.items()):
        print(f"parity timing: {name}: {seconds:.2f}s")
    assert all(seconds > 0 for seconds in TIMINGS.values())
