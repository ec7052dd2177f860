"""Fans work units out to Celery workers as a group and gathers results as they finish."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from typing import Any

from celery import Celery
from celery.result import AsyncResult

from governance.errors import ExternalFailure, said
from governance.executors.celery_app import TASK_NAME
from governance.scans.units import UnitResult, WorkUnit


class CeleryExecutor:
    """Runs units on whatever workers listen to the broker (any number, any machine)."""

    name = "celery"

    def __init__(
        self, app: Celery, *, window: int = 64, poll: float = 0.02, unit_timeout: float = 3600.0
    ) -> None:
        self.app = app
        self.window = window  # units in flight: bounds broker memory for huge scans
        self.poll = poll
        self.unit_timeout = unit_timeout

    def run(self, units: Iterable[WorkUnit]) -> Iterator[UnitResult]:
        pending: dict[str, tuple[AsyncResult[Any], float]] = {}
        queue = iter(units)
        exhausted = False
        while not exhausted or pending:
            while not exhausted and len(pending) < self.window:
                unit = next(queue, None)
                if unit is None:
                    exhausted = True
                    break
                result = self.app.send_task(TASK_NAME, args=[unit.to_json()])
                pending[result.id] = (result, time.monotonic())
            yield from self._collect(pending)

    def _collect(self, pending: dict[str, tuple[AsyncResult[Any], float]]) -> Iterator[UnitResult]:
        finished = [task_id for task_id, (result, _sent) in pending.items() if result.ready()]
        if not finished:
            self._check_age(pending)
            time.sleep(self.poll)
            return
        for task_id in finished:
            result, _sent = pending.pop(task_id)
            try:
                payload = result.get(timeout=10, propagate=True)
            except Exception as exc:
                raise said(
                    ExternalFailure,
                    "a Celery work unit failed: %(error_type)s: %(error)s",
                    error_type=type(exc).__name__,
                    error=str(exc),
                ) from exc
            finally:
                result.forget()
            yield UnitResult.from_json(payload)

    def _check_age(self, pending: dict[str, tuple[AsyncResult[Any], float]]) -> None:
        now = time.monotonic()
        for _result, sent in pending.values():
            if now - sent > self.unit_timeout:
                raise said(
                    ExternalFailure,
                    "a work unit got no result in %(seconds)ss: are any `govern worker` processes running?",
                    seconds=format(self.unit_timeout, ".0f"),
                )

    def close(self) -> None:
        """The app's connections are pooled; nothing per executor to release."""
