"""Who may clone and push over git smart HTTP: real git clients against the served portal."""

from __future__ import annotations

import os

import pytest

from tests.governance.mirrors.conftest import git
from tests.waiting import HANG_GUARD

pytestmark = pytest.mark.slow


@pytest.fixture
def pushed(server, world, vendor_repo):
    """BUD with one accepted commit, pushed by its vendor."""
    repo = vendor_repo("bud")
    repo.commit("BUD-0001: first delivery", {"src/app.py": "print('ok')\n"})
    result = repo.git("push", world.url(server, "huaxin", "BUD"), "main", check=False)
    assert result.returncode == 0, result.stderr
    return repo


def test_vendor_pushes_and_clones_its_own_module(pushed, server, world, tmp_path) -> None:
    git(tmp_path, "clone", "-q", world.url(server, "huaxin", "BUD"), "copy")
    assert (tmp_path / "copy" / "src" / "app.py").read_text() == "print('ok')\n"


@pytest.mark.parametrize("reader", ["auditor", "pm", "admin"])
def test_readers_clone_but_may_not_push(pushed, server, world, tmp_path, reader: str) -> None:
    git(tmp_path, "clone", "-q", world.url(server, reader, "BUD"), "copy")
    assert (tmp_path / "copy" / "src" / "app.py").exists()
    pushed.commit("BUD-0001: more")
    result = pushed.git("push", world.url(server, reader, "BUD"), "main", check=False)
    assert result.returncode != 0 and "403" in result.stderr


def test_another_vendors_module_does_not_exist_for_a_vendor(pushed, server, world, tmp_path) -> None:
    clone = git(tmp_path, "clone", "-q", world.url(server, "lianchuang", "BUD"), "copy", check=False)
    assert clone.returncode != 0 and "not found" in clone.stderr.lower()
    push = pushed.git("push", world.url(server, "lianchuang", "BUD"), "main", check=False)
    assert push.returncode != 0 and "not found" in push.stderr.lower()


def test_unknown_module_is_404_and_missing_credentials_401(pushed, server, world, tmp_path) -> None:
    unknown = git(tmp_path, "clone", "-q", world.url(server, "auditor", "NOPE"), "a", check=False)
    assert unknown.returncode != 0 and "not found" in unknown.stderr.lower()
    anonymous = git(tmp_path, "clone", "-q", world.url(server, None, "BUD"), "b", check=False)
    assert anonymous.returncode != 0
    assert "could not read username" in anonymous.stderr.lower() or "401" in anonymous.stderr
    bad = world.url(server, "huaxin", "BUD").replace(world.tokens["huaxin"], "gvn_not-a-token")
    wrong = git(tmp_path, "clone", "-q", bad, "c", check=False)
    assert wrong.returncode != 0 and "authentication failed" in wrong.stderr.lower()


def test_401_carries_a_basic_challenge(server, world) -> None:
    import httpx

    response = httpx.get(f"{server}/git/BUD.git/info/refs?service=git-upload-pack", timeout=HANG_GUARD)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Basic")
    assert (
        httpx.get(
            f"{server}/git/BUD.git/HEAD", auth=("x", world.tokens["pm"]), timeout=HANG_GUARD
        ).status_code
        == 404
    )


def test_push_to_a_module_mirrored_from_a_remote_is_refused(server, world, vendor_repo, database) -> None:
    from governance.registry.service import get_module

    with database.session() as session:
        module = get_module(session, "BUD")
        module.remote = "https://vendor.example/bud.git"
        session.add(module)
    repo = vendor_repo("remote-fed")
    repo.commit("BUD-0001: x")
    result = repo.git("push", world.url(server, "huaxin", "BUD"), "main", check=False)
    assert result.returncode != 0 and "403" in result.stderr


def test_large_push_is_streamed_chunked_and_accepted(server, world, vendor_repo, tmp_path) -> None:
    repo = vendor_repo("large")
    payload = os.urandom(4 * 1024 * 1024)  # incompressible: the pack exceeds git's 1 MiB post buffer
    repo.commit("BUD-0001: large asset", {"assets/blob.bin": payload})
    result = repo.git(
        "push",
        world.url(server, "huaxin", "BUD"),
        "main",
        check=False,
        env={"GIT_TRACE_CURL": "1", "GIT_TRACE_CURL_NO_DATA": "1"},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Transfer-Encoding: chunked" in result.stderr
    git(tmp_path, "clone", "-q", world.url(server, "auditor", "BUD"), "copy")
    assert (tmp_path / "copy" / "assets" / "blob.bin").read_bytes() == payload


def test_every_answer_is_complete_under_the_served_event_loop(server, world, vendor_repo, tmp_path) -> None:
    """Repeated clones and ref listings arrive whole (uvloop's subprocess transports cut them short)."""
    repo = vendor_repo("several")
    payload = os.urandom(2 * 1024 * 1024)
    repo.commit("BUD-0001: asset", {"assets/blob.bin": payload})
    for number in range(5):
        repo.commit(f"BUD-0001: part {number}", {f"src/m{number}.py": f"x = {number}\n" * 1000})
    assert repo.git("push", world.url(server, "huaxin", "BUD"), "main", check=False).returncode == 0
    failures = []
    for number in range(25):
        clone = git(tmp_path, "clone", "-q", world.url(server, "auditor", "BUD"), f"c{number}", check=False)
        listing = git(tmp_path, "ls-remote", world.url(server, "pm", "BUD"), check=False)
        failures += [run.stderr for run in (clone, listing) if run.returncode != 0]
    assert failures == []
    assert (tmp_path / "c24" / "assets" / "blob.bin").read_bytes() == payload
