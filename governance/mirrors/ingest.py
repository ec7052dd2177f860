"""Incremental commit ingestion: only commits the database has not seen, read in one git pass.

New commits are found by set difference (``git rev-list --all`` against the module's
known shas, both cheap), then described by a single ``git log --numstat`` over exactly
those commits, and inserted in bulk. A killed ingest rolls back with its transaction,
and the next one picks up the same commits again.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from governance.mirrors.gitcmd import run_git
from governance.mirrors.models import Commit
from governance.registry.models import Module
from governance.timeutil import utcnow

_FORMAT = "%x1e%H%x1f%P%x1f%an%x1f%ae%x1f%aI%x1f%cI%x1f%B%x1f"
_BATCH = 2000
_MIN_SLICE = 2000


def requirement_regex(module: Module) -> re.Pattern[str]:
    """The module's pattern for requirement ids in messages; default ``<prefix>-<digits>``."""
    if module.requirement_pattern:
        return re.compile(module.requirement_pattern)
    return re.compile(rf"\b{re.escape(module.requirement_prefix)}-\d+\b")


def requirement_refs(pattern: re.Pattern[str], message: str) -> list[str]:
    """Distinct requirement ids in ``message``, in order of first mention."""
    return list(dict.fromkeys(match.group(0) for match in pattern.finditer(message)))


@dataclass(frozen=True)
class CommitInfo:
    """A commit as read from git, before it becomes a row."""

    sha: str
    parents: list[str]
    author_name: str
    author_email: str
    authored_at: datetime
    committed_at: datetime
    message: str
    files_changed: int
    lines_added: int
    lines_removed: int


def _numstat(text: str) -> tuple[int, int, int]:
    files = added = removed = 0
    for line in text.splitlines():
        parts = line.split("\t", 2)
        if len(parts) != 3:
            continue
        files += 1
        added += int(parts[0]) if parts[0].isdigit() else 0
        removed += int(parts[1]) if parts[1].isdigit() else 0
    return files, added, removed


def _parse(record: str) -> CommitInfo:
    sha, parents, name, email, authored, committed, message, stats = record.split("\x1f", 7)
    files, added, removed = _numstat(stats)
    return CommitInfo(
        sha,
        parents.split(),
        name,
        email,
        datetime.fromisoformat(authored),
        datetime.fromisoformat(committed),
        message.replace("\0", "").rstrip("\n"),
        files,
        added,
        removed,
    )


def _log(path: Path, shas: list[str]) -> str:
    return run_git(
        path,
        "-c",
        "core.quotePath=false",
        "log",
        "--no-walk=unsorted",
        "--stdin",
        "--numstat",
        "--find-renames",
        "--no-color",
        f"--format={_FORMAT}",
        input="\n".join(shas).encode(),
    ).decode("utf-8", "replace")


def read_commits(path: Path, shas: list[str]) -> Iterator[CommitInfo]:
    """Describe ``shas`` (with numstat) through one ``git log`` process per core.

    Diffing trees for numstat is git's own cost; a long history is split into one slice per
    core (never one process per commit) so big first ingests keep pace with the clone.
    """
    if not shas:
        return
    workers = max(min(os.cpu_count() or 1, len(shas) // _MIN_SLICE), 1)
    size = -(-len(shas) // workers)
    slices = [shas[start : start + size] for start in range(0, len(shas), size)]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for text in pool.map(lambda part: _log(path, part), slices):
            for record in text.split("\x1e"):
                if record.strip():
                    yield _parse(record)


def reachable_shas(path: Path) -> list[str]:
    """Every commit reachable from any ref of the mirror (archives included), oldest first."""
    return run_git(path, "rev-list", "--all", "--reverse").decode().split()


def known_shas(session: Session, module_id: int) -> set[str]:
    return set(session.exec(select(Commit.sha).where(Commit.module_id == module_id)).all())


def _row(module: Module, info: CommitInfo, pattern: re.Pattern[str], now: datetime) -> dict[str, Any]:
    return {
        "module_id": module.id,
        "sha": info.sha,
        "author_name": info.author_name[:200],
        "author_email": info.author_email[:200],
        "authored_at": info.authored_at,
        "committed_at": info.committed_at,
        "message": info.message,
        "parents": info.parents,
        "files_changed": info.files_changed,
        "lines_added": info.lines_added,
        "lines_removed": info.lines_removed,
        "requirement_refs": requirement_refs(pattern, info.message),
        "ingested_at": now,
    }


def ingest_commits(session: Session, *, module: Module, path: Path) -> int:
    """Insert every commit of the mirror the database lacks; returns how many were added."""
    assert module.id is not None
    known = known_shas(session, module.id)
    new = [sha for sha in reachable_shas(path) if sha not in known]
    pattern, now, batch, added = requirement_regex(module), utcnow(), [], 0
    for info in read_commits(path, new):
        batch.append(_row(module, info, pattern, now))
        if len(batch) >= _BATCH:
            added += _flush(session, batch)
    return added + _flush(session, batch)


def _flush(session: Session, rows: list[dict[str, Any]]) -> int:
    count = len(rows)
    if rows:
        session.connection().execute(sa.insert(Commit), rows)  # Core, not ORM bulk: a third faster
        rows.clear()
    return count
