"""A real multi-commit history is stored as git describes it, commit by commit, in history order."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlmodel import select

from governance.mirrors import ingest
from governance.mirrors.models import Commit
from governance.mirrors.repo import mirror_path
from governance.mirrors.service import sync_module
from tests.governance.mirrors.conftest import VendorRepo, git, register_module


def _history(repo: VendorRepo) -> None:
    """Edits, a rename, a binary file, deletions, a merge, an empty commit and a non-ASCII message."""
    repo.commit("BUD-1: start", {"app.py": "".join(f"line {i}\n" for i in range(40)), "README.md": "hi\n"})
    for n in range(2, 9):
        repo.commit(f"BUD-{n}: edit {n}", {"app.py": "".join(f"line {i * n}\n" for i in range(40 + n))})
    repo.git("mv", "app.py", "main.py")
    repo.commit("rename (BUD-2 again, BUD-9)", {"main.py": "".join(f"line {i * 8}\n" for i in range(48))})
    repo.commit("binary", {"logo.png": b"\x89PNG\x00\x01\x02" * 50})
    repo.git("checkout", "-q", "-b", "topic")
    repo.commit("topic: Ünïcode message — BUD-10", {"lib/util.py": "def f():\n    return 1\n"})
    repo.git("checkout", "-q", "main")
    repo.commit("main moves on", {"README.md": "hello\nworld\n"})
    repo.git("merge", "-q", "--no-ff", "-m", "Merge topic (BUD-11)", "topic")
    repo.git("rm", "-q", "README.md")
    repo.commit("drop readme")
    repo.commit("empty: BUD-12")


def _wall(moment: datetime) -> datetime:
    """SQLite keeps no offset; the test's commits are all made in one zone."""
    return moment.replace(tzinfo=None)


def _expected(mirror, shas: list[str]) -> list[tuple]:
    """Each commit described by its own git commands: the per-commit reading ingestion replaced."""
    rows = []
    for sha in shas:
        fields = git(mirror, "show", "-s", "--format=%P%x1f%an%x1f%ae%x1f%aI%x1f%cI%x1f%B", sha).stdout
        parents, name, email, authored, committed, message = fields.split("\x1f")
        stats = git(mirror, "diff-tree", "--root", "-r", "-M", "--numstat", "--no-commit-id", sha).stdout
        numbers = [line.split("\t") for line in stats.splitlines() if line]
        rows.append(
            (
                sha,
                parents.split(),
                name,
                email,
                _wall(datetime.fromisoformat(authored)),
                _wall(datetime.fromisoformat(committed)),
                message.rstrip("\n"),
                len(numbers),
                sum(int(a) for a, _, _ in numbers if a.isdigit()),
                sum(int(r) for _, r, _ in numbers if r.isdigit()),
            )
        )
    return rows


@pytest.mark.parametrize("slice_size", [2000, 3], ids=["one git log", "one git log per slice of 3"])
def test_stored_commits_equal_git_per_commit_description(
    settings, database, vendor_repo, monkeypatch, slice_size: int
) -> None:
    monkeypatch.setattr(ingest, "_MIN_SLICE", slice_size)
    monkeypatch.setattr(ingest.os, "cpu_count", lambda: 4)
    repo = vendor_repo("history")
    _history(repo)
    with database.session() as session:
        register_module(session, key="BUD", vendor="V", remote=f"file://{repo.path}")
        assert sync_module(session, settings=settings, key="BUD", actor="t").new_commits == 15
    with database.session() as session:
        stored = session.exec(select(Commit).order_by(Commit.id)).all()
    mirror = mirror_path(settings, "BUD")
    order = git(mirror, "rev-list", "--all", "--reverse").stdout.split()
    assert [c.sha for c in stored] == order
    got = [
        (
            c.sha,
            c.parents,
            c.author_name,
            c.author_email,
            _wall(c.authored_at),
            _wall(c.committed_at),
            c.message,
            c.files_changed,
            c.lines_added,
            c.lines_removed,
        )
        for c in stored
    ]
    assert got == _expected(mirror, order)
    refs = {c.message.splitlines()[0]: c.requirement_refs for c in stored}
    assert refs["rename (BUD-2 again, BUD-9)"] == ["BUD-2", "BUD-9"]
    assert refs["topic: Ünïcode message — BUD-10"] == ["BUD-10"]
