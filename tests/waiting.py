"""Waiting in tests on a condition, never for a fixed time.

A test that sleeps guesses how long something takes: too short on a loaded machine (a
flaky failure), too long everywhere else. :func:`wait_for` polls the condition instead;
its ``limit`` only stops a broken run from hanging and never measures anything.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

POLL = 0.05

#: A request to a live test server waits this long for an answer: httpx's default of 5 s
#: failed a page render on a loaded CI machine. Only a hung server ever reaches it.
HANG_GUARD = 120.0


def wait_for(condition: Callable[[], T], what: str, limit: float = 120.0, poll: float = POLL) -> T:
    """The first truthy value of ``condition()``; AssertionError naming ``what`` past ``limit``."""
    idle, deadline = threading.Event(), time.monotonic() + limit
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"never happened: {what} (gave up after {limit:g}s)")
        idle.wait(poll)


class FakeClock:
    """A monotonic clock a test moves by hand (for code that takes a ``clock`` callable)."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
