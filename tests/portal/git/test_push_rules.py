"""Each push rule with a refused and an accepted push, as the vendor's own `git push` shows them."""

from __future__ import annotations

import pytest
from sqlmodel import select

from governance.audit.models import AuditEvent
from governance.mirrors.gitcmd import read_refs
from governance.mirrors.models import Commit
from governance.mirrors.repo import mirror_path
from governance.registry.service import get_module

pytestmark = pytest.mark.slow


@pytest.fixture
def push(server, world):
    def run(repo, *args: str):
        return repo.git("push", world.url(server, "huaxin", "BUD"), *args, check=False)

    return run


def _actions(database) -> list[str]:
    with database.session() as session:
        return [e.action for e in session.exec(select(AuditEvent)).all()]


def test_commit_without_an_allowed_requirement_is_refused(push, vendor_repo, database, settings) -> None:
    repo = vendor_repo("req")
    bad = repo.commit("quick fix", {"a.py": "x = 1\n"})
    refused = push(repo, "main")
    assert refused.returncode != 0
    assert "remote: Govern refused this push to BUD" in refused.stderr
    assert f'[requirement] commit {bad[:10]} "quick fix": it references no requirement' in refused.stderr
    assert "how to fix: reword it" in refused.stderr
    assert "pre-receive hook declined" in refused.stderr
    assert not read_refs(mirror_path(settings, "BUD"), "refs/heads")
    repo.git("commit", "-q", "--amend", "-m", "BUD-0002: quick fix")
    proposed = push(repo, "main")
    assert proposed.returncode != 0 and "BUD-0002 (proposed)" in proposed.stderr
    repo.git("commit", "-q", "--amend", "-m", "BUD-0009: quick fix")
    assert "BUD-0009 (not registered)" in push(repo, "main").stderr
    repo.git("commit", "-q", "--amend", "-m", "BUD-0001: quick fix")
    accepted = push(repo, "main")
    assert accepted.returncode == 0, accepted.stderr
    assert "push to BUD accepted; 1 new commit(s) recorded" in accepted.stderr
    assert "push.reject" in _actions(database) and "push.accept" in _actions(database)
    assert "scan.requested" in _actions(database)
    with database.session() as session:
        row = session.exec(select(Commit)).one()
        assert row.sha == repo.sha("HEAD") and row.requirement_refs == ["BUD-0001"]
        assert get_module(session, "BUD").lines_of_code == 1


def test_oversized_file_is_refused(push, vendor_repo) -> None:
    repo = vendor_repo("size")
    repo.commit("BUD-0001: small", {"ok.bin": b"\x00" * 1024})
    assert push(repo, "main").returncode == 0
    big = repo.commit("BUD-0001: dump", {"dump.bin": b"\x00" * (5 * 1024 * 1024 + 1)})
    refused = push(repo, "main")
    assert refused.returncode != 0
    assert f"[file-size] commit {big[:7]}" in refused.stderr and "file dump.bin" in refused.stderr
    assert "over the 5.0 MiB limit" in refused.stderr


def test_committed_secret_is_refused(push, vendor_repo) -> None:
    repo = vendor_repo("secret")
    key = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAs\n-----END RSA PRIVATE KEY-----\n"
    repo.commit("BUD-0001: deploy config", {"deploy/key.pem": key, "app.py": "print('fine')\n"})
    refused = push(repo, "main")
    assert refused.returncode != 0
    assert "[secret]" in refused.stderr and "file deploy/key.pem" in refused.stderr
    assert "Private Key on line 1" in refused.stderr and "rotate it" in refused.stderr
    assert "app.py" not in refused.stderr
    repo.git("rm", "-q", "deploy/key.pem")
    repo.git("commit", "-q", "--amend", "-m", "BUD-0001: deploy config")
    assert push(repo, "main").returncode == 0


def test_force_push_and_deletion_of_protected_branches_are_refused(push, vendor_repo, settings) -> None:
    repo = vendor_repo("protect")
    repo.commit("BUD-0001: one")
    repo.commit("BUD-0001: two")
    repo.git("branch", "release/1.0")
    assert push(repo, "main", "release/1.0").returncode == 0
    repo.git("reset", "-q", "--hard", "HEAD~1")
    forced = push(repo, "--force", "main")
    assert forced.returncode != 0
    assert "[protected-branch] refs/heads/main: branch main is protected" in forced.stderr
    assert "git pull --rebase" in forced.stderr
    deleted = push(repo, "--delete", "release/1.0")
    assert deleted.returncode != 0
    assert "branch release/1.0 is protected: it may not be deleted" in deleted.stderr
    assert set(read_refs(mirror_path(settings, "BUD"), "refs/heads")) == {
        "refs/heads/main",
        "refs/heads/release/1.0",
    }


def test_force_push_of_an_unprotected_branch_is_accepted_and_archived(
    push, vendor_repo, settings, database
) -> None:
    repo = vendor_repo("feature")
    repo.commit("BUD-0001: base")
    repo.git("checkout", "-q", "-b", "feature")
    lost = repo.commit("BUD-0001: wip")
    assert push(repo, "main", "feature").returncode == 0
    repo.git("reset", "-q", "--hard", "HEAD~1")
    repo.commit("BUD-0001: wip, redone")
    assert push(repo, "--force", "feature").returncode == 0
    assert push(repo, "--delete", "feature").returncode == 0
    archived = read_refs(mirror_path(settings, "BUD"), "refs/govern/archive")
    assert lost in archived.values() and len(archived) == 2
    assert "mirror.archive" in _actions(database)


def test_rules_come_from_module_settings(push, vendor_repo, database) -> None:
    with database.session() as session:
        module = get_module(session, "BUD")
        module.settings = {"push_rules": {"require_requirement": False, "max_blob_bytes": 10}}
        session.add(module)
    repo = vendor_repo("settings")
    repo.commit("no reference needed", {"small.txt": "tiny"})
    assert push(repo, "main").returncode == 0
    repo.commit("still none", {"large.txt": "more than ten bytes"})
    refused = push(repo, "main")
    assert refused.returncode != 0
    assert "[file-size]" in refused.stderr and "[requirement]" not in refused.stderr


def test_archive_refs_are_out_of_a_vendors_reach(push, vendor_repo, settings) -> None:
    repo = vendor_repo("archive")
    repo.commit("BUD-0001: base")
    repo.git("checkout", "-q", "-b", "topic")
    repo.commit("BUD-0001: topic")
    assert push(repo, "main", "topic").returncode == 0
    assert push(repo, "--delete", "topic").returncode == 0
    archived = next(iter(read_refs(mirror_path(settings, "BUD"), "refs/govern/archive")))
    refused = push(repo, f":{archived}")
    assert refused.returncode != 0 and "[ref-namespace]" in refused.stderr
    assert push(repo, "main:refs/govern/mine").returncode != 0
    assert archived in read_refs(mirror_path(settings, "BUD"), "refs/govern/archive")
