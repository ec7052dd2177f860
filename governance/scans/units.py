"""Work units and their results: plain, serialisable values that cross process boundaries.

A unit carries the bytes of its files (and of their import closure), so a worker, local
or remote, needs no checkout, database or network. Results are kept per file because
the cache stores one entry per (scanner, file, key).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Any

from scanners.base import Finding, ScanResult, Skip, SourceFile

FileResult = dict[str, Any]  # {"findings": [..], "metrics": {..}, "skipped": [..]}

# A unit of per-blob facts for the project checks (config ``{"requests": [[kind, options]..]}``),
# run by the same executors beside the scanners' units; each file's result holds ``facts``.
FACTS_UNIT = "facts"


@dataclass(frozen=True)
class WorkUnit:
    """One scanner over a batch of files, with the cache key each file's result goes under."""

    scanner: str
    config: dict[str, Any]
    files: tuple[SourceFile, ...]
    context: tuple[SourceFile, ...]
    keys: dict[str, str]

    def to_json(self) -> dict[str, Any]:
        """JSON form for the Celery transport (contents base64-encoded)."""
        return {
            "scanner": self.scanner,
            "config": self.config,
            "keys": self.keys,
            "files": [_file_json(f) for f in self.files],
            "context": [_file_json(f) for f in self.context],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> WorkUnit:
        return cls(
            data["scanner"],
            data["config"],
            tuple(_file_from(f) for f in data["files"]),
            tuple(_file_from(f) for f in data["context"]),
            data["keys"],
        )


def _file_json(source: SourceFile) -> dict[str, Any]:
    return {"path": source.path, "blob": source.blob, "content": base64.b64encode(source.content).decode()}


def _file_from(data: dict[str, Any]) -> SourceFile:
    return SourceFile(data["path"], base64.b64decode(data["content"]), data.get("blob"))


@dataclass(frozen=True)
class UnitResult:
    """Per-file outcome of one unit; ``cacheable`` marks files whose result is deterministic."""

    scanner: str
    per_file: dict[str, FileResult]
    keys: dict[str, str]
    seconds: float = 0.0
    uncacheable: tuple[str, ...] = field(default=())
    peak_mib: float = 0.0  # the worker process's peak resident memory so far

    def to_json(self) -> dict[str, Any]:
        return {
            "scanner": self.scanner,
            "per_file": self.per_file,
            "keys": self.keys,
            "seconds": self.seconds,
            "uncacheable": list(self.uncacheable),
            "peak_mib": self.peak_mib,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> UnitResult:
        return cls(
            data["scanner"],
            data["per_file"],
            data["keys"],
            data.get("seconds", 0.0),
            tuple(data.get("uncacheable", ())),
            data.get("peak_mib", 0.0),
        )


# A tool that times out or crashes on a file does so again on the same bytes with the same
# version and settings, so those skips are cached like results (a ``--full`` scan retries
# them); only a unit lost with its worker says nothing about the file.
_TRANSIENT = ("killed", "worker lost")


def split_by_file(result: ScanResult, paths: tuple[str, ...]) -> tuple[dict[str, FileResult], list[str]]:
    """Cut a batch result into per-file results; files with a transient skip are not cached."""
    per_file: dict[str, FileResult] = {p: {"findings": [], "metrics": {}, "skipped": []} for p in paths}
    for finding in result.findings:
        per_file.setdefault(finding.path, _empty())["findings"].append(finding.as_dict())
    for path, values in result.metrics.items():
        per_file.setdefault(path, _empty())["metrics"].update(values)
    for path, trace in result.traces.items():
        per_file.setdefault(path, _empty())["trace"] = dict(trace)
    uncacheable: list[str] = []
    for skip in result.skipped:
        per_file.setdefault(skip.path, _empty())["skipped"].append(
            {"path": skip.path, "tool": skip.tool, "reason": skip.reason}
        )
        if any(word in skip.reason.lower() for word in _TRANSIENT):
            uncacheable.append(skip.path)
    return per_file, uncacheable


def _empty() -> FileResult:
    return {"findings": [], "metrics": {}, "skipped": []}


def findings_of(entry: FileResult) -> list[Finding]:
    return [Finding.from_dict(f) for f in entry["findings"]]


def skips_of(entry: FileResult) -> list[Skip]:
    return [Skip(**s) for s in entry["skipped"]]
