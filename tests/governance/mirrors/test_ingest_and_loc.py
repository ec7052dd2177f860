"""Requirement references, per-module patterns, lines of code and the blob-keyed count cache."""

from __future__ import annotations

import io
import multiprocessing.util
import subprocess

import pygount
import pytest
from sqlmodel import select

from governance.errors import InvalidInput
from governance.mirrors import loc
from governance.mirrors.ingest import requirement_refs, requirement_regex
from governance.mirrors.models import Commit
from governance.mirrors.push_rules import DEFAULTS, parse_updates, rules_for
from governance.mirrors.service import sync_module
from governance.registry.models import Module
from tests.governance.mirrors.conftest import register_module


def test_default_pattern_is_the_requirement_prefix() -> None:
    module = Module(key="BUD", vendor_id=1, requirement_prefix="BUD")
    message = "BUD-12 and BUD-0003, again BUD-12; not XBUD-4 or PAY-1"
    refs = requirement_refs(requirement_regex(module), message)
    assert refs == ["BUD-12", "BUD-0003"]


def test_module_pattern_overrides_the_default() -> None:
    module = Module(key="BUD", vendor_id=1, requirement_prefix="BUD", requirement_pattern=r"REQ#\d+")
    assert requirement_refs(requirement_regex(module), "fixes REQ#7 (BUD-1)") == ["REQ#7"]


def test_push_rule_settings_default_and_reject_unknown_keys() -> None:
    module = Module(key="BUD", vendor_id=1, requirement_prefix="BUD", default_branch="trunk")
    rules = rules_for(module)
    assert rules.protected_branches == ("trunk", "release/*")
    assert rules.max_blob_bytes == DEFAULTS["max_blob_bytes"] == 5 * 1024 * 1024
    module.settings = {"push_rules": {"max_blob_size": 1}}
    with pytest.raises(InvalidInput, match="unknown push_rules settings"):
        rules_for(module)
    assert parse_updates(f"{'0' * 40} {'a' * 40} refs/heads/main\n\n")[0].is_create


def test_loc_counts_languages_and_reuses_counts_by_blob(settings, database, vendor_repo, monkeypatch) -> None:
    repo = vendor_repo("loc")
    repo.commit(
        "BUD-1: code",
        {
            "a.py": "x = 1\n# comment\n\ny = 2\n",
            "q.sql": "SELECT 1;\n",
            "notes.txt": "words\n",
            "img.png": b"\x89PNG\x00\x00",
        },
    )
    with database.session() as session:
        register_module(session, key="BUD", vendor="V", remote=str(repo.path))
        outcome = sync_module(session, settings=settings, key="BUD", actor="t")
        module = session.exec(select(Module)).one()
        assert outcome.ok and module.lines_of_code == 3
        assert module.languages["Python"] == 2 and sum(module.languages.values()) == 3
    counted: list[str] = []
    real = loc.count_blob
    monkeypatch.setattr(loc, "count_blob", lambda path, data: counted.append(path) or real(path, data))
    repo.commit("BUD-2: more", {"b.py": "z = 3\n"})
    with database.session() as session:
        sync_module(session, settings=settings, key="BUD", actor="t")
        assert session.exec(select(Module)).one().lines_of_code == 4
        assert len(session.exec(select(Commit)).all()) == 2
    assert counted == ["b.py"]  # unchanged blobs came from the cache


def test_loc_pool_children_do_not_inherit_the_callers_state(tmp_path, vendor_repo) -> None:
    """A forked child runs the caller's after-fork hooks (kombu's blocked on Redis and hung a scan)."""
    marker = tmp_path / "after-fork-ran"

    class Holder:
        """Stands for a connection pool registered for clean-up after a fork."""

    holder = Holder()
    multiprocessing.util.register_after_fork(holder, lambda _obj: marker.touch())
    repo = vendor_repo("many")
    files = {f"pkg/m{i}.py": f"value_{i} = {i}\n" for i in range(loc._POOL_THRESHOLD + 10)}
    sha = repo.commit("BUD-1: many files", files)
    mirror = tmp_path / "mirror.git"
    subprocess.run(["git", "clone", "-q", "--mirror", str(repo.path), str(mirror)], check=True)
    counted = loc.count_lines(mirror, sha)
    assert counted.total == loc._POOL_THRESHOLD + 10
    assert not marker.exists(), "the line-count pool forked the caller"


@pytest.mark.parametrize("name", ["README.md", "docs/notes.rst", "CHANGES.txt", "govern.1"])
def test_markup_files_are_not_lexed_and_pygount_agrees_they_hold_no_code(name: str) -> None:
    text = "Title\n=====\n\n.. code-block:: python\n\n    x = compute(1)\n\n```python\ny = 2\n```\n"
    analysis = pygount.SourceAnalysis.from_file(
        name, "t", encoding="utf-8", file_handle=io.BytesIO(text.encode())
    )
    assert analysis.code_count == 0
    assert loc.count_blob(name, text.encode()) is None
