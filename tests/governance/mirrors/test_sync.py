"""Mirroring vendor remotes: first clone, incremental fetch, archive refs, failures, lock, kill."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import select

from governance import audit
from governance.audit.models import AuditEvent
from governance.errors import MirrorBusy
from governance.mirrors.gitcmd import read_refs
from governance.mirrors.models import Commit
from governance.mirrors.repo import mirror_path
from governance.mirrors.service import sync_module
from governance.registry.service import get_module
from scanners.wording import Wording
from tests.governance.mirrors.conftest import git, register_module
from tests.waiting import wait_for


def _actions(database) -> list[str]:
    with database.session() as session:
        return [e.action for e in session.exec(select(AuditEvent)).all()]


def _sync(database, settings, key: str, **kwargs):
    with database.session() as session:
        return sync_module(session, settings=settings, key=key, actor="tester", **kwargs)


def test_first_sync_mirrors_and_ingests_then_only_new_commits(settings, database, vendor_repo) -> None:
    repo = vendor_repo("bud")
    repo.commit("BUD-0001: start", {"app.py": "x = 1\ny = 2\n"})
    repo.commit("fix without reference", {"app.py": "x = 1\n"})
    with database.session() as session:
        register_module(session, key="BUD", vendor="V", remote=f"file://{repo.path}")
    outcome = _sync(database, settings, "BUD")
    assert outcome.ok and outcome.new_commits == 2
    mirror = mirror_path(settings, "BUD")
    assert read_refs(mirror, "refs/heads")["refs/heads/main"] == repo.sha("main")
    third = repo.commit("BUD-0002 and BUD-0003: more", {"lib/util.py": "def f():\n    return 1\n"})
    assert _sync(database, settings, "BUD").new_commits == 1
    with database.session() as session:
        rows = {c.sha: c for c in session.exec(select(Commit)).all()}
        module = get_module(session, "BUD")
    assert len(rows) == 3
    assert rows[third].requirement_refs == ["BUD-0002", "BUD-0003"]
    assert (rows[third].files_changed, rows[third].lines_added, rows[third].lines_removed) == (1, 2, 0)
    assert module.last_sync_status == "ok" and module.lines_of_code == 3
    assert (
        str(Wording.from_json(module.last_sync_wording))
        == module.last_sync_message
        == ("BUD: ok: 1 new commits, 1 refs moved, 3 lines of code")
    )
    assert module.languages == {"Python": 3}
    assert _sync(database, settings, "BUD").new_commits == 0
    assert "mirror.sync" in _actions(database) and "scan.requested" in _actions(database)


def test_force_push_and_deleted_branch_are_archived(settings, database, vendor_repo) -> None:
    repo = vendor_repo("pay")
    repo.commit("PAY-0001: one")
    lost = repo.commit("PAY-0001: two")
    repo.git("branch", "feature")
    feature_tip = repo.sha("feature")
    with database.session() as session:
        register_module(session, key="PAY", vendor="V", remote=str(repo.path))
    assert _sync(database, settings, "PAY").ok
    repo.git("reset", "-q", "--hard", "HEAD~1")
    rewritten = repo.commit("PAY-0001: two, rewritten")
    repo.git("branch", "-D", "feature")
    outcome = _sync(database, settings, "PAY")
    assert outcome.ok and len(outcome.archived) == 2
    mirror = mirror_path(settings, "PAY")
    heads = read_refs(mirror, "refs/heads")
    assert heads == {"refs/heads/main": rewritten}
    archived = read_refs(mirror, "refs/govern/archive")
    assert sorted(archived.values()) == sorted([lost, feature_tip])
    assert any(name.endswith("/refs/heads/feature") for name in archived)
    assert git(mirror, "cat-file", "-t", lost).stdout.strip() == "commit"
    with database.session() as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "mirror.archive")).one()
        assert set(event.data["refs"]) == {"refs/heads/main", "refs/heads/feature"}
        assert len(session.exec(select(Commit)).all()) == 3  # the lost commit stays ingested


@pytest.mark.parametrize(
    "remote, reason",
    [
        ("file:///nonexistent/repo.git", "not a git repository"),
        ("https://127.0.0.1:1/vendor/repo.git", "connection refused"),
    ],
)
def test_dead_or_wrong_remote_is_one_clear_error_recorded_on_the_module(
    govern, settings, database, remote: str, reason: str
) -> None:
    with database.session() as session:
        register_module(session, key="ACC", vendor="V", remote=remote)
    result = govern("mirror", "sync", "ACC")
    assert result.code == 2
    assert f"cannot fetch from {remote}" in result.err and reason in result.err
    assert result.err.count("\n") == 1  # one line, no traceback
    assert not mirror_path(settings, "ACC").exists()
    with database.session() as session:
        module = get_module(session, "ACC")
    assert module.last_sync_status == "failed" and reason in (module.last_sync_message or "")
    stored = Wording.from_json(module.last_sync_wording)  # what the portal translates
    assert stored is not None and str(stored) == module.last_sync_message
    assert stored.msgid == "cannot fetch from %(remote)s: %(reason)s (%(detail)s)"
    assert isinstance(stored.params["reason"], Wording) and reason in stored.params["reason"].msgid
    assert "mirror.sync_failed" in _actions(database)


def test_failed_fetch_leaves_an_existing_mirror_unchanged(settings, database, vendor_repo, tmp_path) -> None:
    repo = vendor_repo("ast")
    repo.commit("AST-0001: one")
    with database.session() as session:
        register_module(session, key="AST", vendor="V", remote=str(repo.path))
    assert _sync(database, settings, "AST").ok
    before = read_refs(mirror_path(settings, "AST"))
    repo.path.rename(tmp_path / "gone")
    outcome = _sync(database, settings, "AST")
    assert not outcome.ok and "not a git repository" in outcome.error.message
    assert read_refs(mirror_path(settings, "AST")) == before


def test_empty_remote_is_refused(govern, settings, database, vendor_repo) -> None:
    repo = vendor_repo("empty")
    with database.session() as session:
        register_module(session, key="EMP", vendor="V", remote=str(repo.path))
    result = govern("mirror", "sync", "EMP")
    assert result.code == 2 and "the repository is empty" in result.err
    assert not mirror_path(settings, "EMP").exists()


def test_sync_all_reports_each_module_and_fails_if_any_failed(govern, database, vendor_repo) -> None:
    good = vendor_repo("good")
    good.commit("GOOD-0001: x")
    with database.session() as session:
        register_module(session, key="GOOD", vendor="V", remote=str(good.path))
        register_module(session, key="BAD", vendor="V", remote="/nonexistent/path")
    result = govern("mirror", "sync", "--all")
    assert result.code == 2
    assert "BAD: FAILED: cannot fetch" in result.out and "GOOD: ok: 1 new commits" in result.out
    status = {row["key"]: row["status"] for row in json.loads(govern("mirror", "status", "--json").out)}
    assert status == {"BAD": "failed", "GOOD": "ok"}


def test_sync_all_reports_each_module_in_the_cli_language(govern, database, vendor_repo) -> None:
    good = vendor_repo("good")
    good.commit("GOOD-0001: x")
    with database.session() as session:
        register_module(session, key="GOOD", vendor="V", remote=str(good.path))
        register_module(session, key="BAD", vendor="V", remote="/nonexistent/path")
    result = govern("--lang", "zh-CN", "mirror", "sync", "--all")
    assert result.code == 2
    assert "BAD：失败：无法从 /nonexistent/path 拉取：不是 git 仓库" in result.out
    assert "GOOD：成功：1 个新提交" in result.out


def _hold_lock(path: Path) -> subprocess.Popen:
    code = (
        "import sys, time\nfrom pathlib import Path\nfrom governance.mirrors.lock import mirror_lock\n"
        "with mirror_lock(Path(sys.argv[1])):\n    print('held', flush=True)\n    time.sleep(60)\n"
    )
    holder = subprocess.Popen([sys.executable, "-c", code, str(path)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    return holder


def test_two_syncs_never_run_at_once_across_processes(settings, database, vendor_repo) -> None:
    repo = vendor_repo("lock")
    repo.commit("LCK-0001: x")
    with database.session() as session:
        register_module(session, key="LCK", vendor="V", remote=str(repo.path))
    holder = _hold_lock(mirror_path(settings, "LCK"))
    try:
        with pytest.raises(MirrorBusy, match="another sync or push is running"):
            _sync(database, settings, "LCK", lock_timeout=0.3)
    finally:
        holder.kill()
        holder.wait()
    assert _sync(database, settings, "LCK", lock_timeout=5).ok  # the kernel freed the dead holder's lock


@pytest.mark.slow
def test_sync_killed_mid_fetch_leaves_a_usable_mirror(settings, database, vendor_repo, tmp_path) -> None:
    repo = vendor_repo("kill")
    repo.commit("KIL-0001: one")
    with database.session() as session:
        register_module(session, key="KIL", vendor="V", remote=f"file://{repo.path}")
    assert _sync(database, settings, "KIL").ok
    mirror = mirror_path(settings, "KIL")
    before = read_refs(mirror, "refs/heads")
    for n in range(5):
        repo.commit(f"KIL-0001: more {n}", {f"f{n}.txt": os.urandom(20000).hex()})
    marker, slow = tmp_path / "fetching", tmp_path / "slow-pack.sh"
    slow.write_text(f'#!/bin/sh\ntouch {marker}\nsleep 60\nexec "$@"\n')
    slow.chmod(0o755)
    config = tmp_path / "gitconfig"
    config.write_text(f"[uploadpack]\n\tpackObjectsHook = {slow}\n")
    env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": str(config),
        "GOVERN_DATA_DIR": str(settings.data_dir),
        **({"GOVERN_DATABASE_URL": settings.database_url} if settings.database_url else {}),
    }
    sync = subprocess.Popen(
        [sys.executable, "-m", "governance.cli.app", "mirror", "sync", "KIL"],
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for(marker.exists, "the fetch started")
    os.killpg(sync.pid, signal.SIGKILL)
    sync.wait()
    assert read_refs(mirror, "refs/heads") == before
    git(mirror, "fsck", "--no-dangling")
    outcome = _sync(database, settings, "KIL", lock_timeout=5)
    assert outcome.ok and outcome.new_commits == 5
    assert read_refs(mirror, "refs/heads")["refs/heads/main"] == repo.sha("main")
    git(mirror, "fsck", "--no-dangling")
    with database.session() as session:
        assert audit.verify(session).ok
