"""A scheduler's health published to the portal processes it does not run in.

With ``govern serve --workers N`` the scheduler runs in the supervising process and each
portal process answers ``/healthz`` on its own; a page of shared memory, rewritten by the
supervisor, lets every one of them report the scheduler's state (at most one publishing
interval old) instead of only the process that happened to start it.
"""

from __future__ import annotations

import json
import multiprocessing
from datetime import datetime
from multiprocessing.context import SpawnContext
from typing import Any

from governance.scheduling.loop import SchedulerHealth

SIZE = 4096  # job names and their last errors, cut to fit


def _encode(health: SchedulerHealth) -> bytes:
    errors = {name: error[:200] for name, error in health.errors.items()}
    body = {
        "state": health.state,
        "last_pass": health.last_pass.isoformat() if health.last_pass else None,
        "errors": errors,
    }
    data = json.dumps(body).encode()
    if len(data) >= SIZE:  # many long errors: keep which jobs failed, drop the texts
        data = json.dumps({**body, "errors": dict.fromkeys(errors, "")}).encode()[: SIZE - 1]
    return data


class SharedHealth:
    """Written by :meth:`publish` in one process, read by :meth:`health` in any child of it.

    Until the first publication it says ``not started``, which ``/healthz`` reports as
    unavailable: a portal never claims a scheduler it has not heard from.
    """

    def __init__(self, context: SpawnContext) -> None:
        self._page: Any = context.Array("c", SIZE)  # a lock guards every read and write

    def publish(self, health: SchedulerHealth) -> None:
        data = _encode(health)
        with self._page.get_lock():
            self._page.raw = data + b"\0" * (SIZE - len(data))

    def health(self) -> SchedulerHealth:
        with self._page.get_lock():
            raw = bytes(self._page.raw).rstrip(b"\0")
        if not raw:
            return SchedulerHealth("not started", None, {})
        body = json.loads(raw)
        last = datetime.fromisoformat(body["last_pass"]) if body["last_pass"] else None
        return SchedulerHealth(str(body["state"]), last, {str(k): str(v) for k, v in body["errors"].items()})


def spawn_context() -> SpawnContext:
    """Portal processes start fresh (no forked threads, locks or database connections)."""
    return multiprocessing.get_context("spawn")
