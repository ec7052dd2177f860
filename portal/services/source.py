"""Source lines around a finding, read from the module's bare mirror with ``git show``.

Mirrors live at ``<data_dir>/mirrors/<KEY>.git``.  When there is no mirror, the commit is
gone, or the file is binary, the page simply shows no source: this never fails a page.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

_SHA = re.compile(r"^[0-9a-f]{7,40}$")
MAX_BYTES = 2_000_000


@dataclass(frozen=True)
class SourceLine:
    """One numbered line; ``hit`` marks the finding's own lines."""

    number: int
    text: str
    hit: bool


def mirror_path(data_dir: Path, module_key: str) -> Path:
    return data_dir / "mirrors" / f"{module_key}.git"


def _show(mirror: Path, commit: str, path: str) -> bytes | None:
    if not mirror.is_dir() or not _SHA.match(commit) or path.startswith("-") or ".." in path.split("/"):
        return None
    try:
        result = subprocess.run(
            ["git", "--git-dir", str(mirror), "show", f"{commit}:{path}"],
            capture_output=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if result.returncode != 0 or len(result.stdout) > MAX_BYTES or b"\0" in result.stdout[:8000]:
        return None
    return result.stdout


def lines_around(
    data_dir: Path, *, module_key: str, commit: str, path: str, line: int, end_line: int = 0, context: int = 5
) -> list[SourceLine]:
    """The finding's lines with ``context`` lines either side, or [] when unavailable."""
    blob = _show(mirror_path(data_dir, module_key), commit, path)
    if blob is None:
        return []
    text = blob.decode("utf-8", errors="replace").splitlines()
    last = max(line, end_line)
    start, stop = max(1, line - context), min(len(text), last + context)
    return [SourceLine(n, text[n - 1], line <= n <= last) for n in range(start, stop + 1)]
