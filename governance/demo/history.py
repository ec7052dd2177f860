"""The demo's history: several scans per module over past weeks, so trends and new/fixed move.

Each module is scanned at a few points of its own history, each scan dated (by the runner's
clock) a couple of hours after the commit it judges; one module's vendor fixes its flawed
report late on, so the last scan shows fixed findings and passes the gate; one module is fed by
pushes only: each delivery goes into its central repository and through the same post-receive
path as a real ``git push`` (ingest, archive, audit, scan queued with trigger "push").
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from git import Repo
from sqlmodel import col, select

from governance.config import Settings
from governance.db import Database
from governance.executors.base import Executor
from governance.mirrors.gitcmd import ZERO_SHA, run_git
from governance.mirrors.push import post_receive
from governance.mirrors.push_rules import RefUpdate
from governance.mirrors.repo import ensure_central_repo
from governance.mirrors.service import sync_module
from governance.registry import service as registry
from governance.scans.models import Scan, ScanStatus
from governance.scans.run import run_scan
from governance.scans.service import request_scan
from governance.timeutil import as_utc

SCANS_PER_MODULE = 3
AFTER_COMMIT = timedelta(hours=2)


@dataclass(frozen=True)
class Delivery:
    """One point of a module's history that gets scanned: the commit and when it was made."""

    sha: str
    when: datetime


def deliveries(repo: Repo, count: int = SCANS_PER_MODULE) -> list[Delivery]:
    """The last ``count`` distinct points of the default branch, oldest first (spread out)."""
    commits = list(reversed(list(repo.iter_commits("main"))))
    picks = sorted({len(commits) - 1 - step * 2 for step in range(count)} - {-1, -2})
    return [Delivery(commits[i].hexsha, as_utc(commits[i].committed_datetime)) for i in picks if i >= 0]


def _run_dated(
    database: Database, settings: Settings, executor: Executor, scan_id: int, when: datetime
) -> Scan:
    """Run a scan judged as of ``when`` + 2 h, and date its record then too (the demo's past).

    The runner's clock sets the evaluation date and first-seen times; the scan's own
    created/started/finished stamps come from the queue, so the demo moves them into the past.
    """
    judged = when + AFTER_COMMIT
    run_scan(database, settings, scan_id, executor=executor, actor="demo", clock=lambda: judged)
    with database.session() as session:
        row = session.get(Scan, scan_id)
        assert row is not None
        took = (
            (as_utc(row.finished_at) - as_utc(row.started_at)) if row.finished_at and row.started_at else None
        )
        row.created_at = row.started_at = judged
        row.finished_at = judged + (took or timedelta(0))
        session.add(row)
    return row


def scan_history(
    database: Database, settings: Settings, executor: Executor, *, key: str, repo: Repo
) -> Iterator[Scan]:
    """Scan a mirrored module at each delivery, dated after its commit."""
    for delivery in deliveries(repo):
        with database.session() as session:
            scan, _ = request_scan(
                session,
                module=registry.get_module(session, key),
                trigger="schedule",
                actor="demo",
                commit=delivery.sha,
            )
        yield _run_dated(database, settings, executor, scan.id or 0, delivery.when)


def push_history(
    database: Database, settings: Settings, executor: Executor, *, key: str, repo: Repo, pusher: str
) -> Iterator[Scan]:
    """Deliver a push-fed module commit by commit into its central repository, scanning each push."""
    central = ensure_central_repo(settings, key, default_branch="main")
    old = ZERO_SHA
    for delivery in deliveries(repo):
        run_git(central, "fetch", "--quiet", str(repo.working_dir), f"{delivery.sha}:refs/heads/main")
        with database.session() as session:
            update = RefUpdate(old=old, new=delivery.sha, ref="refs/heads/main")
            post_receive(session, settings=settings, key=key, pusher=pusher, updates=[update])
        old = delivery.sha
        with database.session() as session:
            module = registry.get_module(session, key)
            queued = session.exec(
                select(Scan)
                .where(Scan.module_id == module.id, Scan.status == ScanStatus.queued)
                .order_by(col(Scan.id).desc())
            ).first()
        assert queued is not None, "post-receive queues a scan of the pushed branch"
        yield _run_dated(database, settings, executor, queued.id or 0, delivery.when)
    with database.session() as session:  # a push-fed module's "sync" re-ingests: lines of code, status
        sync_module(session, settings=settings, key=key, actor=pusher).raise_for_error()
