"""A tree's requirement references, kept per blob: a rescan reads only the blobs that changed.

A file's references depend on its bytes, the module's marker pattern and one thing of its
path: whether it is a test file (which decides the kind of reference and the tags read).
They are stored in the scan cache under that key, as the project checks' facts are
(:mod:`governance.scans.factstore`), so the same table, bulk reads and ``--full``
semantics apply: a ``--full`` scan's cache reads nothing and every blob is read again.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from governance.requirements.extract import Reference, is_test_path, references_in_file
from governance.scans.cache import CacheStore
from governance.scans.factstore import fact_key
from governance.scans.planner import FileEntry

MARKER_MAX_BYTES = 1_000_000  # requirement markers are read from source files, not blobs of data
KIND = "requirement-refs"
FORMAT = "1"  # bump when what references_in_file finds changes

Reader = Callable[[Sequence[str]], Mapping[str, bytes]]


@dataclass(frozen=True)
class TreeReferences:
    """Every reference of a tree, and how many blobs had to be read to know them."""

    references: tuple[Reference, ...]
    read: int


def references_key(marker: re.Pattern[str], test: bool, blob: str) -> str:
    return fact_key(KIND, f"{FORMAT}\x1f{int(test)}\x1f{marker.pattern}", blob)


def _blob_references(path: str, data: bytes, marker: re.Pattern[str]) -> list[list[object]]:
    """``[key, kind, line, test name]`` per reference, without the path (one blob, many paths)."""
    if b"\x00" in data[:8192]:
        return []
    found = references_in_file(path, data.decode("utf-8", "replace"), marker)
    return [[ref.key, ref.kind, ref.line, ref.test] for ref in found]


def tree_references(
    entries: Sequence[FileEntry], read: Reader, marker: re.Pattern[str], cache: CacheStore
) -> TreeReferences:
    """References of every file of the tree; only blobs missing from the cache are read."""
    keys = {
        e.path: references_key(marker, is_test_path(e.path), e.blob)
        for e in entries
        if e.size <= MARKER_MAX_BYTES
    }
    known = cache.get_many(set(keys.values()))
    missing: dict[str, str] = {}  # key -> one path holding that blob
    for path, key in keys.items():
        if key not in known:
            missing.setdefault(key, path)
    contents = read(list(missing.values())) if missing else {}
    fresh = {key: {"refs": _blob_references(path, contents[path], marker)} for key, path in missing.items()}
    cache.put_many({key: (f"fact:{KIND}", value) for key, value in fresh.items()})
    known.update(fresh)
    references = [
        Reference(key, kind, path, line, test)
        for path, cache_key in keys.items()
        for key, kind, line, test in known[cache_key]["refs"]
    ]
    return TreeReferences(tuple(sorted(references)), read=len(missing))
