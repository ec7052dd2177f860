"""Reusing a traced result (pylint) exactly while what its analysis read is unchanged.

A traced result is stored under a key of (scanner, version, settings, path, blob, Python)
with the trace the worker reported (:mod:`scanners.pylint_trace`), sealed here with the
blob of every in-repository module it loaded and a digest of the tree's *layout* for
every module name it asked for. It is reused only when, in the tree being scanned,

1. each loaded module is still there with the same blob, and each module the analysis
   reached only through top-level names (its trace's ``parts``) is there with the same
   blob or, when its blob changed, the same statements binding the names it read, the
   same statements binding nothing, and the same answer to whether
   each name it asked for is bound (the ``bindings`` blob fact, :mod:`scanners.bindings`):
   ``VERSION = (5, 1, 2)`` in a package's ``__init__.py`` does not re-run what imports its
   submodules, and a function added to ``models.py`` does not re-run what imports ``Model``;
2. every name it asked for (found or not) is matched by the same set of Python paths
   and directories as before: a new ``helpers.py`` can make a failed import succeed or
   shadow a library module, and a deleted one can make an import fail;
3. the third-party environment is the one of this process (the workers' environment is
   assumed to be the coordinator's; when it is not, the result is simply not reused).

Anything else is a miss and the file is analysed again, so the law "incremental equals
full" rests only on the trace being complete (see :mod:`scanners.pylint_trace`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from scanners.bindings import Bindings, parts_digest
from scanners.installed import environment_digest

MODULE_SUFFIXES = (".py", ".pyi", ".so", ".pyd")

BindingsOf = Callable[[str], Bindings]
"""path -> the ``bindings`` fact of the blob the tree holds there."""


def _parts(path: str) -> list[str] | None:
    """Dotted-name components of a module file (``a/b/__init__.py`` -> ``[a, b]``)."""
    for suffix in MODULE_SUFFIXES:
        if path.endswith(suffix):
            parts = path[: -len(suffix)].split("/")
            if parts[-1] == "__init__":
                parts = parts[:-1]
            return [p.split(".")[0] for p in parts] if parts else None
    return None


class TreeIndex:
    """Which paths of a tree a dotted module name could resolve to, from any import root."""

    def __init__(self, paths: Iterable[str]) -> None:
        index: dict[str, set[str]] = {}
        for path in paths:
            parts = _parts(path)
            if not parts:
                continue
            dirs = path.split("/")[:-1]
            for depth in range(1, len(parts) + 1):
                index.setdefault(".".join(parts[-depth:]), set()).add(path)
            for end in range(1, len(dirs) + 1):  # namespace packages: a directory is a module
                for depth in range(1, end + 1):
                    index.setdefault(".".join(dirs[end - depth : end]), set()).add("/".join(dirs[:end]) + "/")
        self._index = {name: tuple(sorted(found)) for name, found in index.items()}
        self._memo: dict[str, str] = {}

    def matches(self, name: str) -> str:
        """A digest of the paths every prefix of ``name`` matches (memoised per scan)."""
        if name not in self._memo:
            pieces = name.split(".")
            rows = []
            for depth in range(1, len(pieces) + 1):
                prefix = ".".join(pieces[:depth])
                rows.append(prefix + "=" + ",".join(self._index.get(prefix, ())))
            self._memo[name] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
        return self._memo[name]

    def layout(self, names: Iterable[str]) -> str:
        digest = hashlib.sha256()
        for name in sorted(set(names)):
            digest.update(f"{name}:{self.matches(name)}\n".encode())
        return digest.hexdigest()


def seal(reported: Mapping[str, Any], blobs: Mapping[str, str], index: TreeIndex) -> dict[str, Any] | None:
    """The stored form of a worker's trace; None when a module it read is not in the tree."""
    modules = list(reported.get("modules", ()))
    parts = dict(reported.get("parts", {}))
    if any(path not in blobs for path in [*modules, *parts]):
        return None
    names = sorted(reported.get("names", ()))
    return {
        "modules": {path: blobs[path] for path in sorted(modules)},
        "parts": {path: [blobs[path], *parts[path]] for path in sorted(parts)},
        "names": names,
        "layout": index.layout(names),
        "env": reported.get("env"),
    }


def holds(
    stored: Mapping[str, Any] | None,
    blobs: Mapping[str, str],
    index: TreeIndex,
    bindings: BindingsOf,
) -> bool:
    """Whether a stored trace is still true of this tree (see the module docstring)."""
    if not stored or stored.get("env") != environment_digest():
        return False
    if any(blobs.get(path) != blob for path, blob in stored["modules"].items()):
        return False
    for path, (blob, read, tested, digest) in stored.get("parts", {}).items():
        if blobs.get(path) == blob:
            continue
        if path not in blobs or parts_digest(bindings(path), read, tested) != digest:
            return False
    return bool(index.layout(stored["names"]) == stored["layout"])
