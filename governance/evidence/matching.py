"""Naming reported tests and files as the tree does: ``path::test`` targets and tree paths.

Reports name things their own way: pytest's JUnit ``classname`` is a dotted module path
(``tests.test_calc.TestAdd``), Surefire's a Java class (``com.acme.LedgerTest``), coverage
tools give paths relative to a source root. Each is resolved to the unique tree path that
equals it or ends with it; an ambiguous or unknown name is left out rather than guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

_EXTENSIONS = (".py", ".java", ".kt", ".js", ".ts", ".go", ".cs")
_PARAMS = re.compile(r"\[.*\]$")
_RANK = {"error": 3, "failed": 2, "passed": 1, "skipped": 0}


class TreePaths:
    """Tree paths indexed by every ``/``-bounded suffix (ambiguous suffixes are dropped)."""

    def __init__(self, paths: Iterable[str]) -> None:
        index: dict[str, str | None] = {}
        for path in paths:
            parts = path.split("/")
            for start in range(len(parts)):
                suffix = "/".join(parts[start:])
                index[suffix] = path if suffix not in index or index[suffix] == path else None
        self._index = index

    def resolve(self, name: str) -> str | None:
        """The one tree path that is ``name`` or ends with ``/name``."""
        return self._index.get(name.replace("\\", "/").lstrip("./"))


def _worse(old: str | None, new: str) -> str:
    """Outcome of a test run several times (parametrised): a failure wins, then a pass."""
    return new if old is None or _RANK[new] > _RANK[old] else old


def _locate(run: Mapping[str, Any], tree: TreePaths) -> tuple[str, list[str]] | None:
    """(tree path, class names inside it) of one JUnit case."""
    if run.get("file"):
        path = tree.resolve(str(run["file"]))
        if path:
            return path, [p for p in str(run.get("classname", "")).split(".")[-1:] if p[:1].isupper()]
    parts = [p for p in str(run.get("classname", "")).split(".") if p]
    for cut in range(len(parts), 0, -1):
        for extension in _EXTENSIONS:
            path = tree.resolve("/".join(parts[:cut]) + extension)
            if path:
                return path, parts[cut:]
    return None


def test_targets(runs: Iterable[Mapping[str, Any]], paths: Sequence[str]) -> dict[str, str]:
    """Target (``path::test``, and ``path::Class`` for a test class) -> aggregated outcome."""
    tree = TreePaths(paths)
    outcomes: dict[str, str] = {}
    for run in runs:
        located = _locate(run, tree)
        if located is None:
            continue
        path, classes = located
        name = _PARAMS.sub("", str(run.get("name", "")))
        for target in [f"{path}::{name}", *(f"{path}::{c}" for c in classes)]:
            outcomes[target] = _worse(outcomes.get(target), str(run["outcome"]))
    return outcomes


test_targets.__test__ = False  # type: ignore[attr-defined]  # not a pytest test


def file_coverage(files: Mapping[str, Sequence[int]], paths: Sequence[str]) -> dict[str, float]:
    """Tree path -> line coverage percent, for the report's files that are in the tree."""
    tree = TreePaths(paths)
    found: dict[str, float] = {}
    for name, (covered, valid) in files.items():
        path = tree.resolve(name)
        if path and valid:
            found[path] = round(100.0 * covered / valid, 2)
    return found
