"""Fetching a vendor remote into a bare mirror without ever losing a commit.

A sync fetches into a staging namespace (``refs/govern/incoming/*``), compares it with the
mirror's own refs, and then moves every ref in **one atomic** ``update-ref`` transaction
that also creates an archive ref (``refs/govern/archive/<UTC stamp>/<ref>``) for each tip
that a force-push rewrote or a deletion removed. Until that transaction, the mirror's
refs are untouched, so a sync killed mid-fetch leaves a usable mirror (git writes packs
atomically); the next sync simply fetches again.

The first sync builds the mirror in a temporary directory and renames it into place, so
a failed first sync (dead remote, empty repository) leaves nothing behind.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from git import Repo
from git.exc import GitCommandError

from governance.errors import MirrorSyncFailed, said
from governance.mirrors.gitcmd import git_env, is_ancestor, read_refs, update_refs
from governance.mirrors.repo import ARCHIVE_NS, INCOMING_NS, configure, install_hooks
from governance.registry.validation import redact_url
from governance.timeutil import utcnow
from scanners.wording import Wording, worded

MIRRORED = ("refs/heads", "refs/tags")


@dataclass(frozen=True)
class RefChange:
    """One ref that moved; ``old``/``new`` is None for a created/deleted ref."""

    ref: str
    old: str | None
    new: str | None
    archived_as: str | None = None


@dataclass
class FetchResult:
    """What a fetch did to the mirror."""

    created: bool
    changes: list[RefChange] = field(default_factory=list)

    @property
    def archived(self) -> dict[str, str]:
        """``{archive ref: sha}`` for tips kept because they were rewritten or deleted."""
        return {c.archived_as: c.old for c in self.changes if c.archived_as and c.old}


#: What git said -> why, in words the portal translates (the reason of the failed sync's message).
_HINTS: tuple[tuple[str, Wording], ...] = (
    ("authentication failed", worded("authentication failed: check the credentials Govern uses")),
    ("could not read username", worded("authentication required: the remote asked for credentials")),
    ("permission denied", worded("permission denied by the remote: check Govern's access key")),
    ("does not appear to be a git repository", worded("not a git repository: check the URL")),
    ("not found", worded("repository not found: check the URL")),
    ("could not resolve host", worded("host not found: check the URL")),
    ("connection refused", worded("the remote is down (connection refused)")),
    ("couldn't connect to server", worded("the remote is down (connection refused)")),
    ("could not read from remote repository", worded("the remote is down or refused the connection")),
    ("timed out", worded("the remote did not answer (timed out)")),
)


def redact(text: str) -> str:
    """Hide credentials written into a URL (the one definition is in the registry's validation)."""
    return redact_url(text)


def _explain(exc: GitCommandError, remote: str) -> MirrorSyncFailed:
    remote = redact(remote)
    stderr = redact(str(exc.stderr or "").strip().replace("stderr: ", ""))
    lowered = stderr.lower()
    reason = next((hint for needle, hint in _HINTS if needle in lowered), None)
    detail = " ".join(line.strip(" '") for line in stderr.splitlines() if line.strip(" '"))[:300]
    return said(
        MirrorSyncFailed,
        "cannot fetch from %(remote)s: %(reason)s (%(detail)s)",
        remote=remote,
        reason=reason or worded("git fetch failed"),
        detail=detail,
    )


def _fetch(path: Path, remote: str, timeout: float) -> None:
    specs = [f"+refs/{kind}/*:{INCOMING_NS}/{kind}/*" for kind in ("heads", "tags")]
    repo = Repo(path)
    try:
        repo.git.fetch(
            "--prune", "--no-tags", "--quiet", "--", remote, *specs, env=git_env(), kill_after_timeout=timeout
        )
    except GitCommandError as exc:
        raise _explain(exc, remote) from exc
    finally:
        repo.close()


def _incoming(path: Path, remote: str) -> dict[str, str]:
    staged = read_refs(path, INCOMING_NS)
    if not staged:
        raise said(
            MirrorSyncFailed,
            "cannot mirror %(remote)s: the repository is empty (no branches or tags)",
            remote=redact(remote),
        )
    prefix = INCOMING_NS + "/"
    return {"refs/" + name.removeprefix(prefix): sha for name, sha in staged.items()}


def _change(path: Path, ref: str, old: str | None, new: str | None, stamp: str) -> RefChange:
    rewritten = old is not None and (
        new is None or ref.startswith("refs/tags/") or not is_ancestor(path, old, new)
    )
    return RefChange(ref, old, new, f"{ARCHIVE_NS}/{stamp}/{ref}" if rewritten else None)


def plan_changes(path: Path, current: dict[str, str], incoming: dict[str, str]) -> list[RefChange]:
    """The ref moves that make the mirror match ``incoming``; rewrites and deletions get archive refs."""
    stamp = utcnow().strftime("%Y%m%dT%H%M%S%fZ")
    return [
        _change(path, ref, current.get(ref), incoming.get(ref), stamp)
        for ref in sorted(set(current) | set(incoming))
        if current.get(ref) != incoming.get(ref)
    ]


def apply_changes(path: Path, changes: list[RefChange]) -> None:
    """Archive and move in one transaction: no moment exists where an old tip is unreferenced."""
    commands = [f"create {c.archived_as} {c.old}" for c in changes if c.archived_as]
    for change in changes:
        if change.new is None:
            commands.append(f"delete {change.ref} {change.old}")
        elif change.old is None:
            commands.append(f"create {change.ref} {change.new}")
        else:
            commands.append(f"update {change.ref} {change.new} {change.old}")
    update_refs(path, commands)


def _sync_into(path: Path, remote: str, timeout: float) -> list[RefChange]:
    _fetch(path, remote, timeout)
    changes = plan_changes(path, read_refs(path, *MIRRORED), _incoming(path, remote))
    apply_changes(path, changes)
    return changes


def _create(path: Path, remote: str, default_branch: str, timeout: float) -> FetchResult:
    for leftover in path.parent.glob(path.name + ".new-*"):
        shutil.rmtree(leftover, ignore_errors=True)  # from a killed first sync; we hold the lock
    staging = path.with_name(f"{path.name}.new-{os.getpid()}")
    Repo.init(staging, bare=True, initial_branch=default_branch).close()
    try:
        configure(staging, receive=False)
        install_hooks(staging)
        changes = _sync_into(staging, remote, timeout)
        staging.rename(path)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return FetchResult(created=True, changes=changes)


def fetch_mirror(path: Path, remote: str, *, default_branch: str, timeout: float = 3600.0) -> FetchResult:
    """Clone (first time) or fetch ``remote`` into the bare mirror at ``path``; the caller holds the lock.

    Raises :class:`MirrorSyncFailed` with a message fit to show; the mirror is then unchanged.
    """
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        return _create(path, remote, default_branch, timeout)
    return FetchResult(created=False, changes=_sync_into(path, remote, timeout))
