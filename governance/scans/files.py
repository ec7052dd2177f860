"""Files on disk as scan input (for `govern scan-files`): listing, git blob ids, reading."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from governance.errors import InvalidInput, said
from governance.scans.planner import FileEntry

SKIPPED_DIRS = {
    ".git",
    ".hg",
    ".svn",
    "__pycache__",
    ".venv",
    "venv",
    ".tox",
    ".nox",
    "node_modules",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
}


def git_blob_id(content: bytes) -> str:
    """The id git gives these bytes, so on-disk and mirrored files share cache entries."""
    header = f"blob {len(content)}\0".encode()
    return hashlib.sha1(header + content, usedforsecurity=False).hexdigest()


def _walk(directory: Path) -> Iterable[Path]:
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS)
        for name in sorted(files):
            yield Path(root) / name


def _label(path: Path, base: Path) -> str:
    try:
        return path.resolve().relative_to(base).as_posix()
    except ValueError:
        return path.resolve().as_posix().lstrip("/")


class DiskFiles:
    """The files under some paths, named relative to ``base`` (default: the working dir)."""

    def __init__(self, arguments: Sequence[Path], base: Path | None = None) -> None:
        self.base = (base or Path.cwd()).resolve()
        self.locations: dict[str, Path] = {}
        for argument in arguments:
            if not argument.exists():
                raise said(InvalidInput, "no such file or directory: %(argument)s", argument=argument)
            found = _walk(argument) if argument.is_dir() else [argument]
            for path in found:
                if path.is_file() and not path.is_symlink():
                    self.locations[_label(path, self.base)] = path

    def entries(self) -> list[FileEntry]:
        """One entry per file, its blob id computed from its bytes."""
        return [
            FileEntry(label, git_blob_id(path.read_bytes()), path.stat().st_size)
            for label, path in sorted(self.locations.items())
        ]

    def read(self, labels: Sequence[str]) -> Mapping[str, bytes]:
        return {label: self.locations[label].read_bytes() for label in labels}
