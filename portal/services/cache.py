"""A small cache of per-scan aggregates.

A complete scan is written in one transaction and never changes afterwards, so counts
computed over its findings can be kept by scan id.  The cache lives on the app (built by
the factory, never at import time) and is bounded; a short time-to-live also covers
waivers, which may flip ``Finding.waived`` after the fact.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any


class ScanAggregates:
    """Bounded LRU of ``scan id → {severity: count}`` with a time-to-live."""

    def __init__(self, max_entries: int = 2048, ttl: float = 60.0) -> None:
        self.max_entries = max_entries
        self.ttl = ttl
        self._entries: OrderedDict[int, tuple[float, dict[str, int]]] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_compute(self, scan_id: int, compute: Callable[[int], dict[str, int]]) -> dict[str, int]:
        """The cached value for ``scan_id`` or ``compute(scan_id)``, remembered."""
        now = time.monotonic()
        with self._lock:
            hit = self._entries.get(scan_id)
            if hit and now - hit[0] < self.ttl:
                self._entries.move_to_end(scan_id)
                return dict(hit[1])
        value = compute(scan_id)
        with self._lock:
            self._entries[scan_id] = (now, dict(value))
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return value


class TtlCache:
    """Bounded ``key → value`` with a short time-to-live, for figures that may be seconds old.

    The dashboard's figures over a million findings are the same for every reader in one
    scope (all modules, or one vendor's); recomputing them for each of fifty concurrent
    readers is waste.  Values are read-only once stored.  When an entry has expired, one
    thread recomputes it while the others keep answering with the expired value: without
    that, every thread that arrives during the recomputation recomputes too, and under load
    each expiry became a burst of identical work that held up every request behind it.
    """

    def __init__(
        self, ttl: float = 10.0, max_entries: int = 256, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self.clock = clock
        self._entries: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self._refreshing: set[Hashable] = set()
        self._lock = threading.Lock()

    def get_or_compute(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        now = self.clock()
        with self._lock:
            hit = self._entries.get(key)
            if hit and (now - hit[0] < self.ttl or (self.ttl > 0 and key in self._refreshing)):
                return hit[1]
            self._refreshing.add(key)
        try:
            value = compute()
        finally:
            with self._lock:
                self._refreshing.discard(key)
        with self._lock:
            self._entries[key] = (now, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return value


@dataclass
class PageCaches:
    """Every cache the portal keeps, built by the app factory and handed to routes as one.

    * ``aggregates``: per-scan severity counts (complete scans never change);
    * ``dashboards``: dashboard figures per access scope, for a few seconds;
    * ``modules``: a module page's scan summary per module, for a few seconds;
    * ``fragments``: rendered findings tables keyed by scan, filter, page and language — a
      complete scan's findings do not change, the time-to-live covers waivers.
    """

    aggregates: ScanAggregates = field(default_factory=ScanAggregates)
    dashboards: TtlCache = field(default_factory=TtlCache)
    modules: TtlCache = field(default_factory=TtlCache)
    fragments: TtlCache = field(default_factory=lambda: TtlCache(ttl=60.0, max_entries=2048))

    @classmethod
    def with_ttl(cls, ttl: float) -> PageCaches:
        """Caches whose short-lived entries live ``ttl`` seconds (0 turns them off, for tests)."""
        return cls(
            dashboards=TtlCache(ttl=ttl),
            modules=TtlCache(ttl=ttl),
            fragments=TtlCache(ttl=min(ttl * 6, 60.0), max_entries=2048),
        )
