"""Who introduced a line: ``git blame`` on the bare mirror at a scanned commit.

Tickets are assigned within the vendor to the committer whose line holds the finding. One
``git blame --porcelain`` per file with one ``-L`` per line asked; a file git cannot blame
(deleted, binary, a line past the end) yields no author rather than an error: the ticket
then stays with the vendor as a whole.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from pathlib import Path

from governance.mirrors.gitcmd import GIT, git_env

#: At most this many files are blamed per call (each is one git process).
MAX_FILES = 50


def _parse(porcelain: str) -> dict[int, str]:
    """``{final line: "Name <mail>"}`` from ``git blame --porcelain`` output."""
    authors: dict[str, str] = {}
    out: dict[int, str] = {}
    sha, final = "", 0
    name = ""
    for line in porcelain.splitlines():
        head = line.split(" ")
        if len(head) >= 3 and len(head[0]) == 40 and head[1].isdigit():
            sha, final = head[0], int(head[2])
            if sha in authors:
                out[final] = authors[sha]
        elif line.startswith("author ") and sha:
            name = line[len("author ") :]
        elif line.startswith("author-mail ") and sha:
            authors[sha] = f"{name} {line[len('author-mail ') :]}".strip()
            out[final] = authors[sha]
    return out


def blame_lines(mirror: Path, commit: str, path: str, lines: Iterable[int]) -> dict[int, str]:
    """The author (``Name <mail>``) of each asked line of ``path`` at ``commit``; unknown ones left out."""
    wanted = sorted({line for line in lines if line > 0})
    if not wanted:
        return {}
    ranges = [arg for line in wanted for arg in ("-L", f"{line},{line}")]
    result = subprocess.run(
        [GIT, "-C", str(mirror), "blame", "--porcelain", *ranges, commit, "--", path],
        capture_output=True,
        env=git_env(),
        check=False,
    )
    if result.returncode != 0:
        return {}
    return _parse(result.stdout.decode("utf-8", errors="replace"))


def blame_findings(mirror: Path, commit: str, where: Iterable[tuple[str, int]]) -> dict[tuple[str, int], str]:
    """Authors of many ``(path, line)`` places, one git process per file (the first MAX_FILES files)."""
    by_path: dict[str, set[int]] = {}
    for path, line in where:
        by_path.setdefault(path, set()).add(line)
    out: dict[tuple[str, int], str] = {}
    for path in sorted(by_path)[:MAX_FILES]:
        for line, author in blame_lines(mirror, commit, path, by_path[path]).items():
            out[(path, line)] = author
    return out
