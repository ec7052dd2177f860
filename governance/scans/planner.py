"""Plan a scan: which (scanner, file) analyses are cached, and units for the rest.

Cache keys (all SHA-256):
- per-file scanners: scanner, its version and config digest, the file's path and blob.
  The path is part of the key because findings carry it (and fingerprints hash it).
- closure scanners: the same plus the digest of the blob shas of the file's in-repo
  import closure and the Python version, since inference reads what a file imports: a
  changed import can add findings to an untouched file.
- traced scanners (pylint): the per-file key plus the Python version; the stored result
  carries the trace of what its analysis really read and is reused only while that
  holds in the scanned tree (:mod:`governance.scans.traces`). The static closure is still
  shipped as the unit's context, and batches are still grouped by imports.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from governance.scans.cache import CacheStore
from governance.scans.factstore import FactStore
from governance.scans.traces import TreeIndex, holds, seal
from governance.scans.units import FileResult, WorkUnit
from scanners.base import Scanner, Skip, SourceFile
from scanners.batching import BatchLimits, plan_batches, unit_context
from scanners.bindings import Bindings
from scanners.blobfacts import records_of
from scanners.imports import ImportGraph
from scanners.registry import Registry

Reader = Callable[[Sequence[str]], Mapping[str, bytes]]

# The files of a pylint unit share the modules it parsed (scanners.pylint_trace), so a large
# tree is cut into large units: on Django's `django/` (879 files, 2 workers) pylint took 127.8
# CPU-s in units of at most 25 files, 101.0 in units of 60 and 84.1 in units of 150 (peak
# worker memory 152 MB for 25 files of `django/db`, 297 MB for 118). A smaller tree is cut
# into at least MIN_UNITS units, so both workers of a small pool still get work.
CLOSURE_LIMITS = (
    BatchLimits(max_files=25, max_bytes=400_000),
    BatchLimits(max_files=150, max_bytes=2_500_000),
)
MIN_UNITS = 4
FILE_LIMITS = BatchLimits(max_files=200, max_bytes=2_000_000)


def closure_limits(sizes: Mapping[str, int]) -> BatchLimits:
    """Unit bounds for a traced scanner: a quarter of the files, within :data:`CLOSURE_LIMITS`."""
    low, high = CLOSURE_LIMITS
    files = -(-len(sizes) // MIN_UNITS)
    size = -(-sum(sizes.values()) // MIN_UNITS)
    return BatchLimits(
        max_files=min(max(files, low.max_files), high.max_files),
        max_bytes=min(max(size, low.max_bytes), high.max_bytes),
    )


@dataclass(frozen=True)
class FileEntry:
    """One file of the tree being scanned (no content: that is read only for misses)."""

    path: str
    blob: str
    size: int


@dataclass(frozen=True)
class UnitSpec:
    """A unit before its contents are read: contents are loaded only when it is sent."""

    scanner: str
    paths: tuple[str, ...]
    context: tuple[str, ...]
    keys: dict[str, str]


@dataclass
class Plan:
    """The outcome of planning: cache hits, units to run, files refused up front."""

    hits: dict[tuple[str, str], FileResult] = field(default_factory=dict)  # (scanner, path)
    units: list[UnitSpec] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)
    keys: dict[tuple[str, str], str] = field(default_factory=dict)

    @property
    def planned_files(self) -> int:
        return len({path for _scanner, path in self.keys})


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


GRAPH_FORMAT = "3"  # 3: relative imports resolved against every name of a file


@lru_cache(maxsize=1)
def _govern_version() -> str:
    """The graph builder's version: a new Govern may parse imports differently."""
    try:
        return version("govern")
    except PackageNotFoundError:
        return "unknown"


def _graph_to(graph: ImportGraph) -> dict[str, Any]:
    return {
        "edges": {p: sorted(t) for p, t in graph.edges.items()},
        "direct": {p: sorted(t) for p, t in graph.direct.items()},
        "unparsable": sorted(graph.unparsable),
    }


def _graph_from(data: dict[str, Any]) -> ImportGraph:
    return ImportGraph(
        edges={p: frozenset(t) for p, t in data["edges"].items()},
        direct={p: frozenset(t) for p, t in data["direct"].items()},
        unparsable=frozenset(data["unparsable"]),
    )


def cache_key(scanner: Scanner, entry: FileEntry, closure_digest: str | None = None) -> str:
    """The sound cache key of one scanner on one file (see the module docstring)."""
    base = [scanner.name, scanner.version, scanner.config_digest, entry.path, entry.blob]
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    if scanner.cache_scope == "trace":
        return _digest("trace", *base, python)
    if closure_digest is None:
        return _digest("file", *base)
    return _digest("closure", *base, closure_digest, python)


NEEDS_GRAPH = ("closure", "trace")


@dataclass
class Planner:
    """Plans one scan of a list of files against a cache."""

    registry: Registry
    cache: CacheStore
    read: Reader
    config: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    max_file_bytes: int = 2_000_000
    _graph: ImportGraph | None = None
    _sources: dict[str, bytes] = field(default_factory=dict)
    _blobs: dict[str, str] = field(default_factory=dict)
    _tree: dict[str, str] = field(default_factory=dict)  # every path of the tree -> blob
    _index: TreeIndex | None = None
    facts: FactStore | None = None  # shared with the project checks (made on first use)

    def plan(self, entries: Sequence[FileEntry]) -> Plan:
        result = Plan()
        self._tree = {e.path: e.blob for e in entries}
        self.facts = None  # facts of this tree (a planner reused for another tree starts afresh)
        admitted = self._admit(entries, result)
        wanted = self._keys(admitted, result)
        cached = self.cache.get_many(set(wanted.values()))
        misses: dict[str, list[FileEntry]] = {}
        by_path = {e.path: e for e in admitted}
        for (name, path), key in wanted.items():
            if key in cached and self._reusable(name, cached[key]):
                result.hits[(name, path)] = cached[key]
            else:
                misses.setdefault(name, []).append(by_path[path])
        for name, files in sorted(misses.items()):
            result.units.extend(self._units(name, files, wanted, admitted))
        return result

    def fact_store(self) -> FactStore:
        """The per-blob facts of the planned tree (cached by blob, computed on a miss)."""
        if self.facts is None:
            self.facts = FactStore(self.cache, self._tree, self.read)
        return self.facts

    @property
    def index(self) -> TreeIndex:
        if self._index is None:
            self._index = TreeIndex(self._tree)
        return self._index

    def _reusable(self, name: str, entry: FileResult) -> bool:
        if self.registry.get(name).cache_scope != "trace":
            return True
        return holds(entry.get("trace"), self._tree, self.index, self._bindings)

    def _bindings(self, path: str) -> Bindings:
        """The ``bindings`` fact of the blob at ``path`` (a per-blob fact, cached)."""
        return self.fact_store().facts("bindings", (path,), {})[path]

    def store(self, scanner: str, fresh: Mapping[str, FileResult]) -> None:
        """Cache fresh results; a traced one is sealed with the tree it was read from.

        A traced key names the file, not what it read, so a newer result replaces the
        entry; a result whose trace cannot be sealed is not cached at all.
        """
        if self.registry.get(scanner).cache_scope != "trace":
            self.cache.put_many({key: (scanner, entry) for key, entry in fresh.items()})
            return
        sealed: dict[str, tuple[str, FileResult]] = {}
        for key, entry in fresh.items():
            trace = seal(entry.get("trace") or {}, self._tree, self.index) if "trace" in entry else None
            if trace is not None:
                sealed[key] = (scanner, {**entry, "trace": trace})
        self.cache.replace_many(sealed)

    def _admit(self, entries: Sequence[FileEntry], plan: Plan) -> list[FileEntry]:
        admitted = []
        for entry in entries:
            if not self.registry.applicable(entry.path):
                continue
            if entry.size > self.max_file_bytes:
                for scanner in self.registry.applicable(entry.path):
                    plan.skipped.append(
                        Skip(
                            entry.path, scanner.name, f"too large: {entry.size} bytes > {self.max_file_bytes}"
                        )
                    )
                continue
            admitted.append(entry)
        return admitted

    def _keys(self, admitted: list[FileEntry], plan: Plan) -> dict[tuple[str, str], str]:
        blobs = {e.path: e.blob for e in admitted}
        keys: dict[tuple[str, str], str] = {}
        for entry in admitted:
            for scanner in self.registry.applicable(entry.path):
                closure = None
                if scanner.cache_scope == "closure":
                    closure = self._graph_of(admitted).closure_digest(entry.path, blobs)
                keys[(scanner.name, entry.path)] = cache_key(scanner, entry, closure)
        plan.keys = keys
        return keys

    def _graph_of(self, admitted: list[FileEntry]) -> ImportGraph:
        """The import graph, from the cache when the Python files are exactly as before.

        An unchanged set of (path, blob) pairs gives the same graph, so a rescan of an
        unchanged tree reads no file at all; otherwise it is built from the files' import
        records, per-blob facts (:mod:`governance.scans.factstore`): only changed blobs are read.
        """
        if self._graph is None:
            python = [e for e in admitted if e.path.endswith(".py")]
            key = _digest("imports", GRAPH_FORMAT, _govern_version(), *(f"{e.path}:{e.blob}" for e in python))
            cached = self.cache.get_many([key]).get(key)
            if cached is not None:
                self._graph = _graph_from(cached)
            else:
                paths = tuple(e.path for e in python)
                records = self.fact_store().facts("imports", paths, {})
                self._graph = ImportGraph.from_records({p: records_of(records[p]) for p in paths})
                self.cache.put_many({key: ("imports", _graph_to(self._graph))})
        return self._graph

    def _units(
        self,
        name: str,
        files: list[FileEntry],
        keys: Mapping[tuple[str, str], str],
        admitted: list[FileEntry],
    ) -> list[UnitSpec]:
        scanner = self.registry.get(name)
        graph = self._graph_of(admitted) if scanner.cache_scope in NEEDS_GRAPH else None
        sizes = {e.path: e.size for e in files}
        limits = closure_limits(sizes) if graph is not None else FILE_LIMITS
        batches = plan_batches(sizes, limits, graph)
        self._blobs.update({e.path: e.blob for e in admitted})
        units = []
        for paths in batches:
            context = unit_context(graph, paths) if graph is not None else frozenset()
            units.append(UnitSpec(name, paths, tuple(sorted(context)), {p: keys[(name, p)] for p in paths}))
        return units

    def materialise(self, spec: UnitSpec) -> WorkUnit:
        """Read a unit's contents (Python sources read for the graph are reused)."""
        missing = [p for p in (*spec.paths, *spec.context) if p not in self._sources]
        fetched = self.read(missing) if missing else {}

        def source(path: str) -> SourceFile:
            content = self._sources[path] if path in self._sources else fetched[path]
            return SourceFile(path, content, self._blobs.get(path))

        return WorkUnit(
            scanner=spec.scanner,
            config=dict(self.config.get(spec.scanner, {})),
            files=tuple(source(p) for p in spec.paths),
            context=tuple(source(p) for p in spec.context),
            keys=spec.keys,
        )
