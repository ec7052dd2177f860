"""Shared plumbing of the built-in scanners: guards, options, fingerprints, temp trees.

Every built-in scanner goes through the same gate before a tool sees a file (too big,
binary, not UTF-8, unsafe path -> Skip) and the same finalisation after (repo-relative
paths, fingerprints with occurrence counts), so hostile input is handled once, here.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import signal
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import lru_cache
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as dist_version
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar

from scanners.base import Finding, ScanResult, Skip, SourceFile, fingerprint
from scanners.errors import ScannerConfigError, ScanTimeout

DEFAULT_MAX_BYTES = 2_000_000
DEFAULT_TIMEOUT = 60.0
_SNIFF = 8192

OptionsT = TypeVar("OptionsT")


#: A finding before its fingerprint is known (fingerprints need the whole file): the same
#: value with ``fingerprint`` left empty until :func:`finalise` fills it in.
Draft = Finding


@lru_cache(maxsize=64)
def tool_version(*distributions: str) -> str:
    """``name==version`` of each distribution: a tool upgrade must miss the cache.

    Read once per process: the planner asks for every file, and reading package metadata
    costs about a millisecond each time.
    """
    parts = []
    for name in distributions:
        try:
            parts.append(f"{name}=={dist_version(name)}")
        except PackageNotFoundError:
            parts.append(f"{name}==unknown")
    return ";".join(parts)


def config_digest(name: str, options: object) -> str:
    """Stable digest of a scanner's effective options (a dataclass)."""
    payload = {"scanner": name, "options": dataclasses.asdict(options)}  # type: ignore[call-overload]
    raw = json.dumps(payload, sort_keys=True, default=str)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def build_options(cls: type[OptionsT], config: Mapping[str, Any] | None) -> OptionsT:
    """Make an options dataclass from a mapping, refusing unknown keys by name.

    Silently ignoring a misspelt threshold would make a standard pass that should fail.
    """
    config = dict(config or {})
    known = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    unknown = sorted(set(config) - known)
    if unknown:
        raise ScannerConfigError(
            f"{cls.__name__}: unknown option(s) {', '.join(unknown)}; known: {sorted(known)}"
        )
    try:
        return cls(**config)
    except (TypeError, ValueError) as exc:
        raise ScannerConfigError(f"{cls.__name__}: {exc}") from exc


def safe_relpath(path: str) -> str | None:
    """The path if it is a safe, relative, ``/``-separated repo path, else ``None``.

    A work unit comes from a vendor's tree: ``../`` or absolute paths must never let a
    scanner write outside its temporary directory.
    """
    pure = PurePosixPath(path)
    if not path or pure.is_absolute() or ".." in pure.parts or "\\" in path or "\x00" in path:
        return None
    return pure.as_posix()


def gate(source: SourceFile, tool: str, max_bytes: int) -> Skip | None:
    """Why a file must not reach the tool (unsafe path, too large, binary, not UTF-8)."""
    if safe_relpath(source.path) is None:
        return Skip(source.path, tool, "unsafe path")
    if len(source.content) > max_bytes:
        return Skip(source.path, tool, f"too large: {len(source.content)} bytes > {max_bytes}")
    if b"\x00" in source.content[:_SNIFF]:
        return Skip(source.path, tool, "binary file")
    try:
        source.content.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Skip(source.path, tool, f"not UTF-8 text (byte {exc.start})")
    return None


def split_admitted(
    files: Iterable[SourceFile], tool: str, max_bytes: int
) -> tuple[list[SourceFile], list[Skip]]:
    """Partition files into those the tool may see and recorded skips."""
    admitted: list[SourceFile] = []
    skipped: list[Skip] = []
    for source in files:
        skip = gate(source, tool, max_bytes)
        if skip is None:
            admitted.append(source)
        else:
            skipped.append(skip)
    return admitted, skipped


def finalise(drafts: Iterable[Draft], sources: Mapping[str, SourceFile]) -> tuple[Finding, ...]:
    """Attach fingerprints: rule + path + normalised code line + occurrence number.

    Drafts are ordered by position first so the n-th identical (rule, path, code) triple
    gets occurrence n-1 regardless of the order the tool emitted them in.
    """
    lines_cache: dict[str, list[str]] = {}

    def code_at(path: str, line: int) -> str:
        if path not in lines_cache:
            source = sources.get(path)
            lines_cache[path] = source.text().splitlines() if source else []
        lines = lines_cache[path]
        return lines[line - 1] if 0 < line <= len(lines) else ""

    return finalise_with(drafts, code_at)


def finalise_with(drafts: Iterable[Draft], code_at: Callable[[str, int], str]) -> tuple[Finding, ...]:
    """:func:`finalise` with the flagged lines' code from ``code_at(path, line)`` (per-blob facts)."""
    seen: Counter[tuple[str, str, str]] = Counter()
    findings = []
    for draft in sorted(drafts, key=lambda d: (d.path, d.line, d.rule, d.end_line, d.message)):
        code = code_at(draft.path, draft.line)
        key = (draft.rule, draft.path, " ".join(code.split()))
        occurrence = seen[key]
        seen[key] += 1
        findings.append(
            dataclasses.replace(draft, fingerprint=fingerprint(draft.rule, draft.path, code, occurrence))
        )
    return tuple(findings)


def write_tree(root: Path, files: Iterable[SourceFile]) -> dict[str, str]:
    """Write files under ``root`` keeping their repo paths; return ``tmp path -> repo path``."""
    mapping: dict[str, str] = {}
    for source in files:
        rel = safe_relpath(source.path)
        if rel is None:
            continue
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(source.content)
        mapping[os.path.normpath(str(target))] = rel
    return mapping


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`ScanTimeout` in the body after ``seconds`` (SIGALRM, main thread only).

    In-process tools cannot be killed from outside without killing the worker, so the
    limit is a signal alarm where one is available (main thread of a POSIX process, as in
    a process-pool worker). Elsewhere this is a no-op and the executor's per-unit timeout
    is the backstop: it kills the worker and the unit's files are skipped.
    """
    usable = (
        seconds > 0 and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return

    def _expired(signum: int, frame: object) -> None:
        raise ScanTimeout(f"time limit of {seconds:g}s exceeded")

    previous = signal.signal(signal.SIGALRM, _expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


FileResult = tuple[list[Draft], dict[str, float]]


def scan_each(
    files: Sequence[SourceFile],
    tool: str,
    max_bytes: int,
    timeout: float,
    analyse: Callable[[SourceFile], FileResult],
) -> ScanResult:
    """Run a per-file analysis over a batch; one bad file becomes a Skip, never a crash.

    Catching every ``Exception`` here is deliberate and the only such place: it is the
    boundary that keeps a tool bug on one vendor file from failing a whole scan. The
    reason (exception type and message) is recorded, so nothing is swallowed silently.
    """
    admitted, skipped = split_admitted(files, tool, max_bytes)
    drafts: list[Draft] = []
    metrics: dict[str, dict[str, float]] = {}
    for source in admitted:
        try:
            with time_limit(timeout):
                file_drafts, file_metrics = analyse(source)
        except ScanTimeout as exc:
            skipped.append(Skip(source.path, tool, f"timeout: {exc}"))
            continue
        except SyntaxError as exc:
            reason = f"syntax error: line {exc.lineno}: {exc.msg} (reported by pylint as E0001)"
            skipped.append(Skip(source.path, tool, reason))
            continue
        except Exception as exc:  # pylint: disable=broad-exception-caught  # the crash boundary, see docstring
            skipped.append(Skip(source.path, tool, f"crash: {type(exc).__name__}: {exc}"))
            continue
        drafts.extend(file_drafts)
        if file_metrics:
            metrics[source.path] = file_metrics
    by_path = {source.path: source for source in admitted}
    return ScanResult(finalise(drafts, by_path), metrics, tuple(skipped))


def has_suffix(path: str, suffixes: Iterable[str]) -> bool:
    """Case-insensitive extension test used by ``applies_to``."""
    lower = path.lower()
    return any(lower.endswith(suffix) for suffix in suffixes)
