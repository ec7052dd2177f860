"""Lines of code of a module's default branch, per language, counted by pygount (radon for Python).

Counting is cached by content: the cache (a JSON file inside the mirror, written
atomically) maps ``blob sha + file suffix`` to ``(language, code lines)``, so a re-sync
only counts blobs it has never seen. Large misses are counted in a process pool.
Binary files, files pygount has no lexer for, plain text and files over
:data:`MAX_COUNTED_BYTES` (generated or vendored dumps) are not code and count zero.
"""

from __future__ import annotations

import functools
import io
import json
import multiprocessing
import os
import posixpath
import tokenize
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from governance.mirrors.blobs import BlobReader, TreeEntry, list_tree
from scanners.radon_raw import sloc

MAX_COUNTED_BYTES = 2 * 1024 * 1024
NOT_CODE = {"Text only"}
CACHE_FILE = "govern-loc-cache.json"
_POOL_THRESHOLD = 400


@dataclass
class LocCount:
    """Code lines in total and per language (languages sorted by size, largest first)."""

    total: int = 0
    languages: dict[str, int] = field(default_factory=dict)


def _key(entry: TreeEntry) -> str:
    name = posixpath.basename(entry.path)
    return f"{entry.blob}:{os.path.splitext(name)[1] or name}"


def _python(data: bytes) -> tuple[str, int] | None:
    """Python by radon's count of source lines (faster than a lexer; :mod:`scanners.radon_raw`)."""
    try:
        return "Python", sloc(data.decode("utf-8"))
    except (UnicodeDecodeError, SyntaxError, tokenize.TokenError, IndentationError):
        return None  # pygount copes with odd encodings and broken code


def _encoding(data: bytes) -> str:
    """UTF-8 when the bytes are UTF-8 (skips pygount's slower detection), else let pygount detect."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "automatic"
    return "utf-8"


@functools.lru_cache(maxsize=4096)
def _has_lexer(name: str) -> bool:
    """pygount's lexer lookup scans every lexer's patterns; the answer depends on the name only."""
    from pygount.analysis import has_lexer

    return bool(has_lexer(name))


def count_blob(path: str, data: bytes) -> tuple[str, int] | None:
    """``(language, code lines)`` of one file's content, or None when it is not code."""
    # pygount (with pygments' lexers) is imported by the counting, not whenever `govern` starts.
    import pygount
    from pygount.analysis import is_markup_file

    if b"\0" in data[:8192] or not data.strip() or is_markup_file(path):
        return None  # pygount counts every line of a markup file (.md, .rst, .txt) as documentation
    counted = _python(data) if path.endswith(".py") else None
    if counted is not None:
        return counted
    name = posixpath.basename(path)
    suffix = os.path.splitext(name)[1]
    if not _has_lexer(f"file{suffix}" if suffix else name):
        return None
    analysis = pygount.SourceAnalysis.from_file(
        path, "govern", encoding=_encoding(data), file_handle=io.BytesIO(data)
    )
    if analysis.state != pygount.SourceState.analyzed or analysis.language in NOT_CODE:
        return None
    return analysis.language, analysis.code_count


def _count_chunk(items: list[tuple[str, bytes]]) -> list[tuple[str, int] | None]:
    return [count_blob(path, data) for path, data in items]


def _count_all(items: list[tuple[str, bytes]]) -> list[tuple[str, int] | None]:
    if len(items) < _POOL_THRESHOLD:
        return _count_chunk(items)
    workers = max(os.cpu_count() or 1, 1)
    size = max(len(items) // (workers * 4), 50)
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    # Never fork the caller: it may hold threads and connections (a Celery broker pool whose
    # after-fork hook blocks on Redis hung the dogfood scan); forkserver children start clean.
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        return [result for part in pool.map(_count_chunk, chunks) for result in part]


def _load(cache_path: Path) -> dict[str, list[Any]]:
    try:
        return dict(json.loads(cache_path.read_text()))
    except (OSError, ValueError):
        return {}  # a missing or damaged cache only costs a recount


def _save(cache_path: Path, cache: dict[str, list[Any]]) -> None:
    temporary = cache_path.with_suffix(".tmp")
    temporary.write_text(json.dumps(cache, separators=(",", ":")))
    os.replace(temporary, cache_path)


def _fill(mirror: Path, cache: dict[str, list[Any]], misses: list[TreeEntry]) -> None:
    with BlobReader(mirror) as reader:
        contents = reader.read_many(entry.blob for entry in misses)
    results = _count_all([(entry.path, contents[entry.blob]) for entry in misses])
    for entry, result in zip(misses, results, strict=True):
        cache[_key(entry)] = list(result) if result else ["", 0]


def count_lines(mirror: Path, commit: str) -> LocCount:
    """Code lines of ``commit`` in ``mirror``; only blobs not counted before are read and counted."""
    entries = [e for e in list_tree(mirror, commit) if e.size <= MAX_COUNTED_BYTES]
    cache_path = mirror / CACHE_FILE
    cache = _load(cache_path)
    misses = list({_key(e): e for e in entries if _key(e) not in cache}.values())
    if misses:
        _fill(mirror, cache, misses)
    totals: Counter[str] = Counter()
    for entry in entries:
        language, code = cache[_key(entry)]
        if language and code:
            totals[language] += int(code)
    _save(cache_path, {_key(e): cache[_key(e)] for e in entries})
    return LocCount(sum(totals.values()), dict(totals.most_common()))
