"""Source lines around a finding, read from the module's bare mirror with ``git show``.

Mirrors live at ``<data_dir>/mirrors/<KEY>.git``.  When there is no mirror, the commit is
gone, or the file is binary, the page simply shows no source: this never fails a page.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session, select

from governance.scans.models import Finding
from scanners.secretmask import is_secret_rule, mask_line

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
    data_dir: Path,
    *,
    module_key: str,
    commit: str,
    path: str,
    line: int,
    end_line: int = 0,
    context: int = 5,
    secret_lines: frozenset[int] = frozenset(),
) -> list[SourceLine]:
    """The finding's lines with ``context`` lines either side, or [] when unavailable.

    Lines in ``secret_lines`` (flagged by a secret finding of the scan) are masked, for
    every reader: the page shows where the secret is, never what it is.
    """
    blob = _show(mirror_path(data_dir, module_key), commit, path)
    if blob is None:
        return []
    text = blob.decode("utf-8", errors="replace").splitlines()
    last = max(line, end_line)
    start, stop = max(1, line - context), min(len(text), last + context)
    return [
        SourceLine(n, mask_line(text[n - 1]) if n in secret_lines else text[n - 1], line <= n <= last)
        for n in range(start, stop + 1)
    ]


def secret_lines(session: Session, *, scan_id: int, path: str) -> frozenset[int]:
    """Lines of ``path`` flagged by a secret finding of the scan (any finding's page masks them)."""
    rows = session.exec(
        select(Finding.rule, Finding.line, Finding.end_line).where(
            Finding.scan_id == scan_id, Finding.path == path
        )
    ).all()
    lines: set[int] = set()
    for rule, first, last in rows:
        if is_secret_rule(rule):
            lines.update(range(first, max(first, last) + 1))
    return frozenset(lines)
