"""The Celery executor on real workers gives what the in-process executor gives, and a
worker process killed while it holds a unit loses no unit (acks late: delivered again)."""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path

import pytest

from governance.config import Settings
from governance.executors.celery_app import make_celery
from governance.executors.celery_executor import CeleryExecutor
from governance.executors.local import InlineExecutor
from governance.scans.cache import MemoryCache
from governance.scans.engine import Analysis, analyse
from governance.scans.files import DiskFiles
from governance.scans.planner import Planner
from governance.scans.units import UnitResult, WorkUnit
from scanners.base import SourceFile
from scanners.registry import build_registry
from tests.governance.executors import hold_scanner
from tests.waiting import wait_for

pytestmark = [pytest.mark.redis, pytest.mark.slow]


def _analyse(corpus: Path, executor) -> Analysis:  # type: ignore[no-untyped-def]
    files = DiskFiles([corpus / "src" / "click"], base=corpus)
    planner = Planner(
        registry=build_registry(enabled=["pylint", "bandit", "radon"]), cache=MemoryCache(), read=files.read
    )
    return analyse(files.entries(), planner, executor)


def _signature(analysis: Analysis) -> list[tuple[str, str, int, str]]:
    return [(f.rule, f.path, f.line, f.fingerprint) for f in analysis.findings]


@pytest.fixture(scope="module")
def inline_result(click_corpus: Path) -> Analysis:
    return _analyse(click_corpus, InlineExecutor())


def test_celery_workers_match_inline(click_corpus, inline_result, workers, celery_broker) -> None:
    workers.start("w1")
    workers.start("w2")
    workers.wait_ready(2)
    executor = CeleryExecutor(make_celery(Settings(broker_url=celery_broker)))
    result = _analyse(click_corpus, executor)
    assert _signature(result) == _signature(inline_result)
    assert result.metrics == inline_result.metrics
    assert len(result.findings) > 100


def _started(folder: Path) -> list[int]:
    return sorted(int(p.name.split("-", 1)[1]) for p in folder.glob("started-*"))


def test_worker_killed_while_holding_a_unit_loses_it_not(workers, celery_broker, tmp_path: Path) -> None:
    """SIGKILL the process that is running a unit: the unit is delivered again and its result arrives.

    With ``task_acks_late=False`` the broker forgets the unit when it is handed out, so the
    kill loses it and the executor raises: this test fails (seen when it was written).
    """
    folder = tmp_path / "hold"
    folder.mkdir()
    site = hold_scanner.install(tmp_path / "site")
    workers.start("victim", extra_path=site)
    workers.wait_ready(1)
    unit = WorkUnit(
        hold_scanner.NAME, {"folder": str(folder)}, (SourceFile("a.hold", b"x"),), (), {"a.hold": "k"}
    )
    executor = CeleryExecutor(make_celery(Settings(broker_url=celery_broker)), unit_timeout=300)
    results: list[UnitResult] = []
    failures: list[BaseException] = []

    def collect() -> None:
        try:
            results.extend(executor.run([unit]))
        except BaseException as exc:  # the test thread reports it; pylint: disable=broad-exception-caught
            failures.append(exc)

    collector = threading.Thread(target=collect, daemon=True)
    collector.start()
    wait_for(lambda: len(_started(folder)) == 1, "a worker process took the unit")
    (holder,) = _started(folder)
    os.kill(holder, signal.SIGKILL)
    workers.start("survivor", extra_path=site)
    wait_for(lambda: not collector.is_alive() or len(_started(folder)) == 2, "the unit was delivered again")
    (folder / "release").touch()
    collector.join(timeout=120)
    assert not failures, f"the killed unit was lost: {failures[0]!r}"
    assert not collector.is_alive(), "no result arrived for the redelivered unit"
    (result,) = results
    delivered_by = int(result.per_file["a.hold"]["metrics"]["hold.pid"])
    assert delivered_by != holder and delivered_by in _started(folder)
    assert not (folder / f"finished-{holder}").exists()
