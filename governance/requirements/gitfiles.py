"""Reading a module's source files from git (GitPython) to feed :func:`refresh_links`.

The scan pipeline feeds files it already read from the mirror; this reader serves the
``govern requirements links refresh`` command and tests. Binary and huge blobs are skipped:
requirement markers live in text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import git

from governance.config import Settings
from governance.errors import ExternalFailure, InvalidInput, said
from governance.registry.models import Module

MAX_BLOB = 2 * 1024 * 1024


@dataclass(frozen=True)
class Source:
    """Where a module's files were read from, and the commit they were read at."""

    repo: git.Repo
    sha: str
    location: Path


def module_repository(settings: Settings, module: Module) -> Path:
    """The module's mirror (``<data_dir>/mirrors/<KEY>.git``), else its remote when it is a local path."""
    mirror = settings.data_dir / "mirrors" / f"{module.key}.git"
    if mirror.is_dir():
        return mirror
    remote = module.remote or ""
    local = Path(remote.removeprefix("file://")) if remote.startswith(("/", "file://", "./", "../")) else None
    if local is not None and local.is_dir():
        return local
    raise said(
        InvalidInput,
        "module %(module)s has no mirror at %(mirror)s and no local remote to read; sync it first",
        module=module.key,
        mirror=str(mirror),
    )


def open_source(path: Path, branch: str | None = None) -> Source:
    """Open a repository and resolve the branch (or HEAD) to a commit."""
    try:
        repo = git.Repo(path)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError) as exc:
        raise said(InvalidInput, "%(path)s is not a git repository", path=str(path)) from exc
    for ref in ([branch] if branch else []) + ["HEAD"]:
        try:
            return Source(repo, repo.commit(ref).hexsha, path)
        except (git.BadName, ValueError):
            continue
    raise said(
        ExternalFailure,
        "%(path)s: cannot resolve %(branch)s to a commit (empty repository?)",
        path=str(path),
        branch=branch or "HEAD",
    )


def read_files(source: Source) -> Iterator[tuple[str, str]]:
    """``(path, text)`` of every text blob of the commit's tree."""
    tree = source.repo.commit(source.sha).tree
    for item in tree.traverse():
        if not isinstance(item, git.Blob) or item.size > MAX_BLOB:
            continue
        data = item.data_stream.read()
        if b"\x00" in data[:8192]:
            continue
        yield str(item.path), data.decode("utf-8", errors="replace")
