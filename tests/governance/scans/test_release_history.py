"""Incremental equals full on real release history, for every executor and worker count.

The history: itsdangerous 2.1.0 → 2.1.1 → 2.1.2 → 2.2.0, released sdists fetched with pip
and analysed as successive deliveries of one tree (``src/``). After every step the scan
that reuses the cache (in this process, and on a pool of two workers, each with its own
cache carried along the history) must give exactly the findings and metrics of a scan
without cache, and the traced pylint key must have reused something.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from governance.executors.base import Executor
from governance.executors.local import InlineExecutor, local_executor
from governance.scans.cache import MemoryCache
from governance.scans.engine import Analysis, analyse
from governance.scans.files import DiskFiles
from governance.scans.planner import Planner
from scanners.registry import build_registry
from tests.corpus import fetch_sdist

pytestmark = pytest.mark.slow
RELEASES = ("2.1.0", "2.1.1", "2.1.2", "2.2.0")


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return [fetch_sdist(f"itsdangerous=={v}", tmp_path_factory.mktemp(f"itsdangerous-{v}")) for v in RELEASES]


def _analyse(root: Path, cache: MemoryCache, executor: Executor) -> Analysis:
    files = DiskFiles([root / "src"], base=root)
    planner = Planner(registry=build_registry(enabled=["pylint", "radon"]), cache=cache, read=files.read)
    return analyse(files.entries(), planner, executor)


def _outcome(analysis: Analysis) -> tuple[list[tuple[str, int, str, str]], dict[str, dict[str, float]]]:
    findings = sorted((f.path, f.line, f.rule, f.message) for f in analysis.findings)
    return findings, analysis.metrics


def test_every_release_incremental_equals_full(releases: list[Path]) -> None:
    pool = local_executor(2)
    inline_cache, pool_cache = MemoryCache(), MemoryCache()
    reused = 0
    try:
        for root in releases:
            full = _outcome(_analyse(root, MemoryCache(), InlineExecutor()))
            inline = _analyse(root, inline_cache, InlineExecutor())
            pooled = _analyse(root, pool_cache, pool)
            assert _outcome(inline) == full, root.name
            assert _outcome(pooled) == full, root.name
            reused += inline.from_cache
    finally:
        pool.close()
    assert reused > 0
