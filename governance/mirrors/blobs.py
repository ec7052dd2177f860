"""Reading code straight from a bare mirror, without a checkout: the scan pipeline's way in.

Two calls cover it:

* :func:`list_tree` — every file of a commit as ``TreeEntry(path, blob, size)`` (one
  ``git ls-tree -r -l``), so a planner can key its cache on blob shas;
* :class:`BlobReader` — one long-lived ``git cat-file --batch`` process that hands out blob
  contents by sha, so reading ten thousand files costs one process, not ten thousand.

Example::

    entries = list_tree(mirror, "main")
    with BlobReader(mirror) as reader:
        contents = reader.read_many(e.blob for e in entries if e.path.endswith(".py"))
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO

from governance.errors import GitFailure, NotFound, said
from governance.mirrors.gitcmd import GIT, git_env, run_git


@dataclass(frozen=True)
class TreeEntry:
    """One file of a commit: its path, its blob sha (the content's identity) and its size in bytes."""

    path: str
    blob: str
    size: int


def list_tree(mirror_path: Path, commit: str) -> list[TreeEntry]:
    """All files (blobs, recursively) of ``commit`` — a sha, branch or tag — sorted by path.

    Submodule entries (gitlinks) and symlinks are left out: they have no content to scan.
    Raises :class:`NotFound` when the commit does not exist in the mirror.
    """
    try:
        out = run_git(mirror_path, "ls-tree", "-r", "-l", "-z", "--full-tree", f"{commit}^{{commit}}")
    except GitFailure as exc:
        raise said(
            NotFound,
            "commit %(commit)s is not in mirror %(mirror_path)s",
            commit=repr(commit),
            mirror_path=mirror_path.name,
        ) from exc
    entries = []
    for record in out.split(b"\0"):
        if not record:
            continue
        meta, _, path = record.partition(b"\t")
        mode, kind, sha, size = meta.split()
        if kind == b"blob" and mode != b"120000":
            entries.append(TreeEntry(path.decode("utf-8", "surrogateescape"), sha.decode(), int(size)))
    return entries


class BlobReader:
    """Reads blobs by sha through one ``git cat-file --batch`` process; use it as a context manager.

    Not thread-safe: give each thread its own reader. Reading a sha that is not a blob in
    the mirror raises :class:`NotFound` and leaves the reader usable.
    """

    def __init__(self, mirror_path: Path) -> None:
        self.mirror_path = mirror_path
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> BlobReader:
        self._process = subprocess.Popen(
            [GIT, "-C", str(self.mirror_path), "cat-file", "--batch"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=git_env(),
        )
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """End the git process (idempotent)."""
        if self._process is not None:
            for stream in (self._process.stdin, self._process.stdout):
                if stream is not None:
                    stream.close()
            self._process.wait()
            self._process = None

    def _pipes(self) -> tuple[IO[bytes], IO[bytes]]:
        if self._process is None or self._process.stdin is None or self._process.stdout is None:
            raise said(GitFailure, "BlobReader used outside its 'with' block")
        return self._process.stdin, self._process.stdout

    def read(self, sha: str) -> bytes:
        """The content of blob ``sha``."""
        stdin, stdout = self._pipes()
        stdin.write(sha.encode() + b"\n")
        stdin.flush()
        return self._answer(sha, stdout)

    def read_many(self, shas: Iterable[str]) -> dict[str, bytes]:
        """Contents of many blobs, keyed by sha; requests are pipelined, so this is the fast path."""
        wanted = list(dict.fromkeys(shas))
        stdin, stdout = self._pipes()
        results: dict[str, bytes] = {}
        for start in range(0, len(wanted), 512):  # bounded batches keep both pipes from filling up
            chunk = wanted[start : start + 512]
            stdin.write(b"".join(sha.encode() + b"\n" for sha in chunk))
            stdin.flush()
            missing = []
            for sha in chunk:  # drain every answer first, so a miss leaves the pipe in step
                try:
                    results[sha] = self._answer(sha, stdout)
                except NotFound as exc:
                    missing.append(exc)
            if missing:
                raise missing[0]
        return results

    @staticmethod
    def _answer(sha: str, stdout: IO[bytes]) -> bytes:
        header = stdout.readline().split()
        if len(header) != 3:
            raise said(NotFound, "blob %(sha)s is not in the mirror", sha=sha)
        data = stdout.read(int(header[2]))
        stdout.read(1)  # the newline after each object
        if header[1] != b"blob":
            raise said(NotFound, "%(sha)s is a %(type)s, not a blob", sha=sha, type=header[1].decode())
        return data
