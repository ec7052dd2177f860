"""The Celery executor on real workers gives what the in-process executor gives, even
when a worker process is killed mid-unit (acks late: the unit is delivered again)."""

from __future__ import annotations

import os
import signal
import threading
import time
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
from scanners.registry import build_registry

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


def test_killed_worker_process_loses_no_unit(click_corpus, inline_result, workers, celery_broker) -> None:
    victim = workers.start("victim")
    workers.start("survivor")
    workers.wait_ready(2)
    killed = threading.Event()

    def kill_when_busy() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not killed.is_set():
            for child in workers.children(victim):
                os.kill(child, signal.SIGKILL)
                killed.set()
                return
            time.sleep(0.2)

    threading.Thread(target=kill_when_busy, daemon=True).start()
    time.sleep(1.0)  # let the victim's pool child pick up a unit
    executor = CeleryExecutor(make_celery(Settings(broker_url=celery_broker)))
    result = _analyse(click_corpus, executor)
    assert killed.is_set()
    assert _signature(result) == _signature(inline_result)
