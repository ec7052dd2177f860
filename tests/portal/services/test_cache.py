"""The portal's short-lived cache: fresh hits, expiry, and one recomputation per expiry."""

from __future__ import annotations

import threading

from portal.services.cache import TtlCache
from tests.waiting import FakeClock


def test_a_fresh_entry_is_served_and_an_expired_one_recomputed() -> None:
    clock = FakeClock()
    cache = TtlCache(ttl=10.0, clock=clock)
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert cache.get_or_compute("k", compute) == 1
    clock.now += 9.9
    assert cache.get_or_compute("k", compute) == 1
    clock.now += 0.2
    assert cache.get_or_compute("k", compute) == 2


def test_while_one_thread_recomputes_an_expired_entry_the_others_get_the_old_value() -> None:
    clock = FakeClock()
    cache = TtlCache(ttl=10.0, clock=clock)
    cache.get_or_compute("k", lambda: "old")
    clock.now += 11
    started, release = threading.Event(), threading.Event()
    calls: list[str] = []

    def slow() -> str:
        calls.append("slow")
        started.set()
        release.wait()
        return "new"

    results: list[str] = []
    refresher = threading.Thread(target=lambda: results.append(cache.get_or_compute("k", slow)))
    refresher.start()
    started.wait()
    others = [cache.get_or_compute("k", lambda: calls.append("again") or "again") for _ in range(5)]
    release.set()
    refresher.join()
    assert others == ["old"] * 5 and calls == ["slow"] and results == ["new"]
    assert cache.get_or_compute("k", lambda: "later") == "new"


def test_ttl_zero_never_serves_a_stored_value() -> None:
    cache = TtlCache(ttl=0.0, clock=FakeClock())
    assert cache.get_or_compute("k", lambda: 1) == 1
    assert cache.get_or_compute("k", lambda: 2) == 2
