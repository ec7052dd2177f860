"""A real `git push` over HTTP lands in the push log: refused with its rule and fix, or accepted.

The hooks write the log (pre-receive for a refusal, post-receive for an accepted push); the
vendor reads it through the API and the page, another vendor gets the same 404 as a typo.
"""

from __future__ import annotations

import httpx
import pytest
from markupsafe import escape

from tests.waiting import HANG_GUARD

pytestmark = pytest.mark.slow


def _log(server: str, token: str, key: str, **params: str) -> httpx.Response:
    return httpx.get(
        f"{server}/api/v1/modules/{key}/pushes",
        params=params,
        headers={"Authorization": f"Bearer {token}"},
        timeout=HANG_GUARD,
    )


def test_refused_and_accepted_pushes_show_in_the_vendors_push_log(server, world, vendor_repo) -> None:
    repo = vendor_repo("log")
    bad = repo.commit("quick fix", {"a.py": "x = 1\n"})
    refused = repo.git("push", world.url(server, "huaxin", "BUD"), "main", check=False)
    assert refused.returncode != 0 and "[requirement]" in refused.stderr

    page = _log(server, world.tokens["huaxin"], "BUD").json()
    assert page["total"] == 1
    [push] = page["items"]
    assert push["outcome"] == "refused" and push["pusher"] == "huaxin" and push["rules"] == ["requirement"]
    assert push["updates"] == [{"ref": "refs/heads/main", "old": "0" * 40, "new": bad}]
    [violation] = push["violations"]
    assert (
        violation["where"].startswith(f"commit {bad[:10]}")
        and "references no requirement" in violation["problem"]
    )
    assert violation["fix"].startswith("reword it")

    repo.git("commit", "-q", "--amend", "-m", "BUD-0001: quick fix")
    assert repo.git("push", world.url(server, "huaxin", "BUD"), "main", check=False).returncode == 0
    latest = _log(server, world.tokens["huaxin"], "BUD").json()["items"][0]
    assert latest["outcome"] == "accepted" and latest["new_commits"] == 1 and latest["violations"] == []
    assert _log(server, world.tokens["huaxin"], "BUD", outcome="refused").json()["total"] == 1

    for reader in ("pm", "auditor"):
        assert _log(server, world.tokens[reader], "BUD").json()["total"] == 2
    intruder = _log(server, world.tokens["lianchuang"], "BUD")
    assert intruder.status_code == 404 and intruder.json() == {"error": "unknown module 'BUD'"}


def test_an_auditor_cannot_push_nor_press_scan_now(server, world, vendor_repo) -> None:
    repo = vendor_repo("auditor")
    repo.commit("BUD-0001: start", {"a.py": "x = 1\n"})
    pushed = repo.git("push", world.url(server, "auditor", "BUD"), "main", check=False)
    assert pushed.returncode != 0 and "403" in pushed.stderr
    scan = httpx.post(
        f"{server}/api/v1/modules/BUD/scans",
        headers={"Authorization": f"Bearer {world.tokens['auditor']}"},
        timeout=HANG_GUARD,
    )
    assert scan.status_code == 403
    assert (
        _log(server, world.tokens["auditor"], "BUD").json()["total"] == 0
    )  # refused at the door, not by a rule


def test_a_refused_push_is_shown_in_the_readers_language(server, world, vendor_repo) -> None:
    """The page translates each rule's where, problem and fix (nested parts too); ``git push``,
    the API and an English reader keep the English as stored."""
    repo = vendor_repo("zh")
    bad = repo.commit("quick fix", {"a.py": "x = 1\n"})
    unknown = repo.commit("BUD-0009: more", {"b.py": "y = 2\n"})
    refused = repo.git("push", world.url(server, "huaxin", "BUD"), "main", check=False)
    assert refused.returncode != 0
    assert f'[requirement] commit {bad[:10]} "quick fix": it references no requirement' in refused.stderr
    assert "it references BUD-0009 (not registered); each commit" in refused.stderr

    [push] = _log(server, world.tokens["huaxin"], "BUD").json()["items"]
    english = push["violations"]
    assert [set(v) for v in english] == [{"rule", "where", "problem", "fix"}] * 2  # the API keeps English

    def page(language: str) -> str:
        headers = {"Authorization": f"Bearer {world.tokens['huaxin']}", "Accept-Language": language}
        response = httpx.get(f"{server}/modules/BUD/pushes", headers=headers, timeout=HANG_GUARD)
        assert response.status_code == 200
        return response.text

    chinese = page("zh-CN")
    assert f"提交 {bad[:10]} “quick fix”" in chinese and f"提交 {unknown[:10]} “BUD-0009: more”" in chinese
    assert (
        "该提交没有引用任何需求；每个提交都必须引用 BUD 中状态为 approved, in_progress, implemented 的需求"
        in chinese
    )
    assert "该提交引用了 BUD-0009（未登记）" in chinese
    assert "请修改提交说明，以需求编号开头" in chinese
    assert "it references" not in chinese and "reword it" not in chinese and "each commit must" not in chinese

    shown = page("en")
    for violation in english:
        for key in ("where", "problem", "fix"):
            assert str(escape(violation[key])) in shown, violation[key]
    assert "该提交" not in shown
