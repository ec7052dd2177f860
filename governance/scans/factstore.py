"""Per-blob facts cached by content: a rescan computes facts only for the blobs that changed.

A fact (:mod:`scanners.blobfacts`) depends on a blob's bytes and nothing else, so it is
stored in the scan cache under ``(fact kind, extractor version and settings, blob sha)``:
the same table, bulk reads and writes and ``--full`` semantics as per-file results (a
``--full`` scan's :class:`~governance.scans.cache.RefreshingCache` reads nothing, so every
fact is recomputed and rewritten). A content key is valid whatever scan made it, so no
table or migration of its own is needed; the same blob in another path, branch or module
(a vendored copy) is computed once.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from governance.scans.cache import CacheStore
from governance.scans.units import FACTS_UNIT, FileResult, UnitResult, WorkUnit
from scanners.base import SourceFile
from scanners.blobfacts import Fact, FactRequest, extract, fact_version

Reader = Callable[[Sequence[str]], Mapping[str, bytes]]


def fact_key(kind: str, version: str, blob: str) -> str:
    """The cache key of one fact of one blob."""
    return hashlib.sha256("\x1f".join(("fact", kind, version, blob)).encode()).hexdigest()


@dataclass(frozen=True)
class FactPlan:
    """Facts the project checks will ask for that are missing, as batches of paths for workers."""

    requests: tuple[FactRequest, ...] = ()
    batches: tuple[tuple[str, ...], ...] = ()

    @property
    def blobs(self) -> int:
        return sum(len(b) for b in self.batches)


@dataclass
class FactStore:
    """Facts of one tree's files, from the cache or computed from their blobs (then cached).

    ``computed`` counts the facts computed by kind (one per distinct blob): what a rescan
    really analysed, the figure the tests check.
    """

    cache: CacheStore
    blobs: Mapping[str, str]  # path -> blob sha
    read: Reader
    computed: Counter[str] = field(default_factory=Counter)
    reads: int = 0  # blobs read (each once per scan, whatever the number of kinds asked)
    _memo: dict[str, Fact] = field(default_factory=dict)
    _contents: dict[str, bytes] = field(default_factory=dict)  # blob -> bytes read this scan

    def facts(self, kind: str, paths: tuple[str, ...], options: Mapping[str, Any]) -> Mapping[str, Fact]:
        """``{path: fact}`` for ``paths`` (the :data:`scanners.blobfacts.FactReader` shape)."""
        version = fact_version(kind, options)
        keys = {path: fact_key(kind, version, self.blobs[path]) for path in paths}
        wanted = {key for key in keys.values() if key not in self._memo}
        self._memo.update(self.cache.get_many(wanted))
        missing: dict[str, str] = {}  # key -> one path holding that blob
        for path, key in keys.items():
            if key not in self._memo:
                missing.setdefault(key, path)
        if missing:
            contents = self._read(list(missing.values()))
            fresh = {key: dict(extract(kind, contents[path], options)) for key, path in missing.items()}
            self.cache.put_many({key: (f"fact:{kind}", value) for key, value in fresh.items()})
            self._memo.update(fresh)
            self.computed[kind] += len(fresh)
        return {path: self._memo[key] for path, key in keys.items()}

    def _read(self, paths: list[str]) -> dict[str, bytes]:
        """Contents by path; a blob already read for another kind is not read again.

        Only blobs with a missing fact are read and kept (on a rescan, the changed ones),
        as the planner kept every Python source before facts.
        """
        unread = [p for p in paths if self.blobs[p] not in self._contents]
        if unread:
            fetched = self.read(unread)
            self._contents.update({self.blobs[p]: fetched[p] for p in unread})
            self.reads += len(unread)
        return {p: self._contents[self.blobs[p]] for p in paths}

    def _keys(self, requests: Sequence[FactRequest], blob: str) -> list[str]:
        return [fact_key(kind, fact_version(kind, options), blob) for kind, options in requests]

    def missing(self, requests: Sequence[FactRequest], paths: Sequence[str]) -> list[str]:
        """One path per blob with a requested fact neither memoised nor cached (cache read once).

        A blob that a known ``gate`` fact refuses misses nothing more: its other facts are
        never computed (see :func:`scanners.blobfacts.facts_of`).
        """
        by_blob: dict[str, str] = {}
        for path in paths:
            by_blob.setdefault(self.blobs[path], path)
        keys = {blob: self._keys(requests, blob) for blob in by_blob}
        self._memo.update(self.cache.get_many({k for ks in keys.values() for k in ks if k not in self._memo}))
        return [path for blob, path in by_blob.items() if self._lacks(requests, keys[blob])]

    def _lacks(self, requests: Sequence[FactRequest], keys: Sequence[str]) -> bool:
        known = [self._memo.get(key) for key in keys]
        return any(fact is None for fact in known) and not _refused(requests, known)

    def units(self, requests: Sequence[FactRequest], batches: Iterable[Sequence[str]]) -> Iterator[WorkUnit]:
        """Fact units for the executor, contents read only as each unit is sent."""
        config = {"requests": [[kind, dict(options)] for kind, options in requests]}
        for paths in batches:
            contents = self.read(list(paths))
            files = tuple(SourceFile(p, contents[p], self.blobs[p]) for p in paths)
            yield WorkUnit(FACTS_UNIT, config, files, (), {p: "" for p in paths})

    def accept(self, requests: Sequence[FactRequest], result: UnitResult) -> None:
        """Take a fact unit's facts: memoise and cache the ones that were missing."""
        fresh: dict[str, tuple[str, FileResult]] = {}
        for path, entry in result.per_file.items():
            facts = entry.get("facts")
            if facts is None:
                continue  # the worker failed on it: computed here when asked
            keys = self._keys(requests, self.blobs[path])
            for (kind, _options), key, fact in zip(requests, keys, facts, strict=True):
                if fact is not None and key not in self._memo and key not in fresh:
                    fresh[key] = (f"fact:{kind}", dict(fact))
                    self.computed[kind] += 1
        self.cache.put_many(fresh)
        self._memo.update({key: fact for key, (_kind, fact) in fresh.items()})

    @property
    def total_computed(self) -> int:
        return sum(self.computed.values())


def _refused(requests: Sequence[FactRequest], known: Sequence[Fact | None]) -> bool:
    pairs = zip(requests, known, strict=True)
    return any(kind == "gate" and fact is not None and fact["reason"] for (kind, _), fact in pairs)
