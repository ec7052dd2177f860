"""Syncing a module's mirror and bringing the database up to date with it.

``sync_module`` is the one entry point for a pull from a vendor remote: lock, fetch (with
archive refs), ingest new commits, recount lines of code, record the outcome on the
module and in the audit trail. A failure is recorded too, and returned (not raised) so a
caller syncing many modules carries on; :meth:`SyncOutcome.raise_for_error` raises it.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import Session

from governance import audit
from governance.config import Settings
from governance.errors import GovernError, MirrorSyncFailed
from governance.mirrors.gitcmd import read_refs
from governance.mirrors.ingest import ingest_commits
from governance.mirrors.loc import count_lines
from governance.mirrors.lock import mirror_lock
from governance.mirrors.repo import mirror_path
from governance.mirrors.scan_queue import request_scan
from governance.mirrors.sync import FetchResult, RefChange, fetch_mirror
from governance.registry.models import Module
from governance.registry.service import get_module
from governance.timeutil import utcnow
from scanners.wording import Value, Wording, worded


@dataclass
class SyncOutcome:
    """What one module's sync did, for a result line; ``error`` is set when it failed."""

    key: str
    new_commits: int = 0
    changed_refs: int = 0
    archived: dict[str, str] = field(default_factory=dict)
    lines_of_code: int = 0
    error: GovernError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def summary(self) -> str:
        """The result line the CLI prints (and a successful sync stores, see :meth:`wording`)."""
        if self.error:
            return f"{self.key}: FAILED: {self.error.message}"
        return str(self.wording())

    def wording(self) -> Wording:
        """A successful sync's result line as a wording, so the module page can translate it."""
        counts: dict[str, Value] = {
            "module": self.key,
            "commits": self.new_commits,
            "refs": self.changed_refs,
            "lines": self.lines_of_code,
        }
        if self.archived:
            return worded(
                "%(module)s: ok: %(commits)s new commits, %(refs)s refs moved, "
                "%(archived)s rewritten/deleted tips archived, %(lines)s lines of code",
                archived=len(self.archived),
                **counts,
            )
        return worded(
            "%(module)s: ok: %(commits)s new commits, %(refs)s refs moved, %(lines)s lines of code", **counts
        )

    def raise_for_error(self) -> None:
        if self.error is not None:
            raise self.error


def refresh_module(session: Session, *, module: Module, path: Path) -> int:
    """Ingest new commits and recount the default branch's lines of code; returns new commits.

    Counting (git and a process pool, no database) runs in a thread alongside ingestion,
    so a first sync pays for the longer of the two, not their sum.
    """
    branch = f"refs/heads/{module.default_branch}"
    with ThreadPoolExecutor(max_workers=1) as background:
        counting = background.submit(count_lines, path, branch) if branch in read_refs(path, branch) else None
        added = ingest_commits(session, module=module, path=path)
        if counting is not None:
            counted = counting.result()
            module.lines_of_code, module.languages = counted.total, counted.languages
            session.add(module)
    return added


def record_archive(
    session: Session, *, module: Module, changes: list[RefChange], actor: str, trigger: str
) -> None:
    """One audit event naming every tip kept under the archive namespace."""
    kept = {
        c.ref: {"old": c.old, "new": c.new, "archived_as": c.archived_as} for c in changes if c.archived_as
    }
    if kept:
        audit.record(
            session,
            actor=actor,
            action="mirror.archive",
            target_type="module",
            target_id=module.key,
            data={"trigger": trigger, "refs": kept},
        )


def _record(module: Module, status: str, message: str, wording: Wording | None) -> None:
    """The outcome on the module: the English message, and its wording for pages to translate.

    A message cut to the column's 2,000 characters no longer matches its wording, so only a
    whole one keeps it (a page then shows the cut English, as stored).
    """
    module.last_sync_at, module.last_sync_status, module.last_sync_message = utcnow(), status, message[:2000]
    module.last_sync_wording = wording.as_json() if wording is not None and len(message) <= 2000 else None


def _succeeded(session: Session, module: Module, fetched: FetchResult, path: Path, actor: str) -> SyncOutcome:
    record_archive(session, module=module, changes=fetched.changes, actor=actor, trigger="sync")
    outcome = SyncOutcome(module.key, changed_refs=len(fetched.changes), archived=fetched.archived)
    outcome.new_commits = refresh_module(session, module=module, path=path)
    outcome.lines_of_code = module.lines_of_code
    _record(module, "ok", outcome.summary(), outcome.wording())
    session.add(module)
    audit.record(
        session,
        actor=actor,
        action="mirror.sync",
        target_type="module",
        target_id=module.key,
        data={
            "created": fetched.created,
            "new_commits": outcome.new_commits,
            "changed_refs": outcome.changed_refs,
            "archived": len(outcome.archived),
        },
    )
    for change in fetched.changes:
        if change.new and change.ref == f"refs/heads/{module.default_branch}":
            request_scan(
                session, module=module, commit=change.new, ref=change.ref, trigger="sync", actor=actor
            )
    return outcome


def _failed(session: Session, module: Module, error: MirrorSyncFailed, actor: str) -> SyncOutcome:
    _record(module, "failed", error.message, error.wording)
    session.add(module)
    audit.record(
        session,
        actor=actor,
        action="mirror.sync_failed",
        target_type="module",
        target_id=module.key,
        data={"error": error.message},
    )
    return SyncOutcome(module.key, error=error)


def sync_module(
    session: Session, *, settings: Settings, key: str, actor: str, lock_timeout: float = 60.0
) -> SyncOutcome:
    """Fetch the module's remote into its mirror and ingest; push-fed modules are only re-ingested."""
    module = get_module(session, key)
    path = mirror_path(settings, key)
    with mirror_lock(path, timeout=lock_timeout):
        if module.remote is None:
            return _reingest(session, module, path, actor)
        try:
            fetched = fetch_mirror(path, module.remote, default_branch=module.default_branch)
        except MirrorSyncFailed as error:
            return _failed(session, module, error, actor)
        return _succeeded(session, module, fetched, path, actor)


def _reingest(session: Session, module: Module, path: Path, actor: str) -> SyncOutcome:
    """A push-fed module has nothing to fetch; ingesting again repairs a push whose ingest was lost."""
    outcome = SyncOutcome(module.key)
    if path.exists():
        outcome.new_commits = refresh_module(session, module=module, path=path)
    outcome.lines_of_code = module.lines_of_code
    if outcome.new_commits:
        audit.record(
            session,
            actor=actor,
            action="mirror.ingest",
            target_type="module",
            target_id=module.key,
            data={"new_commits": outcome.new_commits},
        )
    return outcome
