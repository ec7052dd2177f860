"""The local pool's processes never outlive the coordinator that started them (issue 15, row 11)."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

COORDINATOR = """
import sys, time
from governance.executors.local import LocalPoolExecutor

executor = LocalPoolExecutor(2)
busy = [executor._pool.submit(time.sleep, 3600) for _ in range(2)]
while len(executor._pool._processes) < 2:
    time.sleep(0.01)
print("ready", flush=True)
sys.stdin.read()
"""


def _children(pid: int) -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(parent, []).append(int(entry.name))
    return tree


def descendants(pid: int) -> list[int]:
    tree, found, todo = _children(pid), [], [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _ended(pid: int, timeout: float) -> bool:
    """Wait on the process's pidfd (an event, not a sleep); True once it has exited."""
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        return True
    try:
        readable, _, _ = select.select([fd], [], [], timeout)
        return bool(readable)
    finally:
        os.close(fd)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="pidfd is Linux's")
def test_sigkilled_coordinator_leaves_no_pool_process() -> None:
    coordinator = subprocess.Popen(
        [sys.executable, "-c", COORDINATOR], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert coordinator.stdout is not None and coordinator.stdout.readline().strip() == "ready"
        pool = descendants(coordinator.pid)
        assert len(pool) >= 3, pool  # the forkserver and two workers (and the resource tracker)
        coordinator.send_signal(signal.SIGKILL)
        coordinator.wait()
        survivors = [pid for pid in pool if not _ended(pid, timeout=60)]
        assert survivors == [], f"still running after the coordinator died: {survivors}"
    finally:
        coordinator.kill()
        for pid in locals().get("pool", []):  # never leave a failed run's processes behind
            if not _ended(pid, timeout=0):
                os.kill(pid, signal.SIGKILL)
