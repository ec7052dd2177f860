"""A module's code as the scan sees it: the mirror's tree, blobs, history and tags.

Reads go through the mirrors API (``git ls-tree`` once, one ``git cat-file --batch``
process for every blob), never a checkout.
"""

from __future__ import annotations

import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

from governance.errors import GitFailure, NotFound, said
from governance.mirrors.blobs import BlobReader, list_tree
from governance.mirrors.gitcmd import git_env, run_git
from governance.scans.planner import FileEntry
from standards.facts import ChangeKind


class MirrorSource:
    """One commit of one mirror, opened for reading (use as a context manager)."""

    def __init__(self, mirror: Path, commit: str) -> None:
        self.mirror = mirror
        self.commit = resolve(mirror, commit)
        self.entries = [FileEntry(e.path, e.blob, e.size) for e in list_tree(mirror, self.commit)]
        self._blobs = {e.path: e.blob for e in self.entries}
        self._reader = BlobReader(mirror)

    def __enter__(self) -> MirrorSource:
        self._reader.__enter__()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._reader.close()

    @property
    def tree(self) -> str:
        return run_git(self.mirror, "rev-parse", f"{self.commit}^{{tree}}").decode().strip()

    def read(self, paths: Sequence[str]) -> Mapping[str, bytes]:
        """Contents by path, read in one batch."""
        by_blob = self._reader.read_many(self._blobs[p] for p in paths)
        return {p: by_blob[self._blobs[p]] for p in paths}

    def read_one(self, path: str) -> bytes:
        return self.read([path])[path]

    def tags(self) -> tuple[str, ...]:
        out = run_git(self.mirror, "tag", "--merged", self.commit).decode()
        return tuple(sorted(line for line in out.splitlines() if line))

    def reachable(self) -> frozenset[str]:
        """Every commit reachable from this one (the history the requirements standard reads)."""
        return frozenset(run_git(self.mirror, "rev-list", self.commit).decode().split())

    def changed_since(self, older: str) -> dict[str, ChangeKind]:
        """path -> "A" (added), "M" (modified) or "D" (deleted) from ``older`` to this commit."""
        out = run_git(self.mirror, "diff", "--name-status", "--no-renames", older, self.commit)
        changed: dict[str, ChangeKind] = {}
        for line in out.decode("utf-8", "replace").splitlines():
            status, _, path = line.partition("\t")
            changed[path] = _CHANGE_KINDS.get(status[:1], "M")
        return changed

    def distance_from(self, older: str, newer: str | None = None) -> int | None:
        """Commits from ``older`` to ``newer`` (default: this one), or None unless ``older``
        is an ancestor of it (or it)."""
        newer = newer or self.commit
        if not _exit_ok(self.mirror, "merge-base", "--is-ancestor", older, newer):
            return None
        return int(run_git(self.mirror, "rev-list", "--count", f"{older}..{newer}").decode())

    def merge_base(self, ref: str) -> str | None:
        """The best common ancestor of this commit and ``ref``; None if unrelated or absent."""
        try:
            return run_git(self.mirror, "merge-base", self.commit, ref).decode().strip() or None
        except GitFailure:
            return None


_CHANGE_KINDS: dict[str, ChangeKind] = {"A": "A", "M": "M", "D": "D", "T": "M", "C": "A"}


def resolve(mirror: Path, commit: str) -> str:
    """A full sha for a sha, branch or tag of the mirror; NotFound otherwise."""
    try:
        return run_git(mirror, "rev-parse", "--verify", "--quiet", f"{commit}^{{commit}}").decode().strip()
    except GitFailure as exc:
        raise said(
            NotFound,
            "commit %(commit)s is not in the mirror of %(mirror)s",
            commit=repr(commit),
            mirror=str(mirror.stem),
        ) from exc


def _exit_ok(mirror: Path, *args: str) -> bool:
    """Run a git command that answers yes/no through its exit status."""
    result = subprocess.run(
        ["git", "-C", str(mirror), *args], capture_output=True, check=False, env=git_env()
    )
    return result.returncode == 0
