"""Grouping files into work units: pure helpers for the domain's executors.

Why batches: pylint re-infers every import on each run, so one run per batch is ~6x
faster than one per file; per-file tools (bandit, radon…) amortise their set-up (plugin
loading) the same way. Why bounded: a unit must fit a worker's memory and finish within
its timeout, and many units keep every core busy.

The policy is deliberately simple:
1. order files so related ones sit together: by import-connected group when an import
   graph is given (files sharing imports share pylint's inference work), then by path
   (siblings in a folder tend to import the same things);
2. cut greedily when a unit would exceed ``max_files`` or ``max_bytes`` (a single file
   larger than ``max_bytes`` gets a unit of its own).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from scanners.base import Batch, SourceFile
from scanners.imports import ImportGraph


@dataclass(frozen=True)
class BatchLimits:
    """Upper bounds of one work unit."""

    max_files: int = 40
    max_bytes: int = 1_000_000


def import_groups(graph: ImportGraph) -> dict[str, str]:
    """Map each file to a representative of its import-connected group (union-find)."""
    parent: dict[str, str] = {path: path for path in graph.edges}

    def root(path: str) -> str:
        while parent[path] != path:
            parent[path] = parent[parent[path]]
            path = parent[path]
        return path

    for path, targets in graph.edges.items():
        for target in targets:
            a, b = root(path), root(target)
            if a != b:
                parent[max(a, b)] = min(a, b)
    return {path: root(path) for path in parent}


def plan_batches(
    sizes: Mapping[str, int],
    limits: BatchLimits | None = None,
    graph: ImportGraph | None = None,
) -> list[tuple[str, ...]]:
    """Split ``path -> size in bytes`` into ordered, bounded groups of paths."""
    limits = limits or BatchLimits()
    groups = import_groups(graph) if graph is not None else {}
    ordered = sorted(sizes, key=lambda p: (groups.get(p, p), p))
    batches: list[tuple[str, ...]] = []
    current: list[str] = []
    current_bytes = 0
    for path in ordered:
        size = sizes[path]
        full = len(current) >= limits.max_files or current_bytes + size > limits.max_bytes
        if current and full:
            batches.append(tuple(current))
            current, current_bytes = [], 0
        current.append(path)
        current_bytes += size
    if current:
        batches.append(tuple(current))
    return batches


def unit_context(graph: ImportGraph, paths: Iterable[str]) -> frozenset[str]:
    """What a unit writes beside ``paths``: their import closures and enclosing packages.

    The package ``__init__.py`` files (and what they import) are there so pylint finds
    the same source roots and module names in the unit's temp tree as in the repository,
    whichever files the planner put together in the unit.
    """
    files = frozenset(paths)
    context: set[str] = set()
    for path in files:
        context |= graph.closure(path)
    inits: set[str] = set()
    for path in files | context:
        inits |= graph.enclosing_inits(path)
    for init in inits - context:
        context |= {init, *graph.closure(init)}
    return frozenset(context - files)


def make_batch(
    paths: Iterable[str],
    read: Callable[[str], bytes],
    graph: ImportGraph | None = None,
    blobs: Mapping[str, str] | None = None,
) -> Batch:
    """A Batch of ``paths`` with, if a graph is given, their import closure as context."""
    files = tuple(dict.fromkeys(paths))
    context = unit_context(graph, files) if graph is not None else frozenset()
    blobs = blobs or {}

    def source(path: str) -> SourceFile:
        return SourceFile(path, read(path), blobs.get(path))

    return Batch(
        files=tuple(source(p) for p in files),
        context=tuple(source(p) for p in sorted(context)),
    )
