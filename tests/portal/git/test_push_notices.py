"""A refused push is announced to its vendor: the hook (a process of its own) enqueues the notice."""

from __future__ import annotations

import pytest
from sqlmodel import select

from governance.notices.models import Notice
from governance.registry.service import get_module
from scanners.wording import Wording

pytestmark = pytest.mark.slow


def test_refused_push_enqueues_a_notice_for_its_vendor(server, world, vendor_repo, database) -> None:
    repo = vendor_repo("refused")
    bad = repo.commit("quick fix", {"a.py": "x = 1\n"})
    refused = repo.git("push", world.url(server, "huaxin", "BUD"), "main", check=False)
    assert refused.returncode != 0
    with database.session() as session:
        (notice,) = session.exec(select(Notice)).all()
        module = get_module(session, "BUD")
    assert (
        notice.event == "push.refused"
        and notice.module_id == module.id
        and notice.vendor_id == module.vendor_id
    )
    assert notice.payload["by"] == "huaxin" and notice.payload["ref"] == "refs/heads/main"
    (violation,) = notice.payload["findings"]
    assert violation["rule"] == "requirement" and bad[:10] in violation["path"]
    assert (
        str(Wording.from_json(violation["message_wording"])) == violation["message"]
    )  # translated per reader
    assert "reword" in notice.payload["fix"]
    assert world.tokens["huaxin"] not in str(notice.payload)  # the pusher's token never travels
    accepted = repo.git("commit", "-q", "--amend", "-m", "BUD-0001: quick fix")
    assert accepted.returncode == 0
    assert repo.git("push", world.url(server, "huaxin", "BUD"), "main", check=False).returncode == 0
    with database.session() as session:
        assert [n.event for n in session.exec(select(Notice)).all()] == ["push.refused"]
