"""Git reads through the portal are source access: each clone or fetch is one audit event
naming who read which module; pushes and refused reads record no read."""

from __future__ import annotations

import pytest
from sqlmodel import col, select

from governance.audit import READ_ACTIONS
from governance.audit.models import AuditEvent
from tests.governance.mirrors.conftest import git

pytestmark = pytest.mark.slow


def _reads(database) -> list[tuple[str, str, str]]:
    with database.session() as session:
        rows = session.exec(
            select(AuditEvent).where(col(AuditEvent.action).in_(READ_ACTIONS)).order_by(col(AuditEvent.seq))
        ).all()
        return [(e.actor, e.action, e.target_id) for e in rows]


def test_clone_and_fetch_are_recorded_once_each_pushes_are_not(
    server, world, vendor_repo, database, tmp_path
) -> None:
    repo = vendor_repo("bud")
    repo.commit("BUD-0001: first delivery", {"src/app.py": "print('ok')\n"})
    assert repo.git("push", world.url(server, "huaxin", "BUD"), "main", check=False).returncode == 0
    assert _reads(database) == [], "a push is not a read"
    git(tmp_path, "clone", "-q", world.url(server, "auditor", "BUD"), "copy")
    git(tmp_path / "copy", "fetch", "-q", "origin")
    assert _reads(database) == [
        ("auditor", "source.git_fetch", "BUD"),
        ("auditor", "source.git_fetch", "BUD"),
    ]
    with database.session() as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "source.git_fetch")).first()
        assert event is not None and event.data["service"] == "git-upload-pack"
        assert event.data["address"] == "127.0.0.1"


def test_a_refused_read_records_nothing(server, world, vendor_repo, database, tmp_path) -> None:
    repo = vendor_repo("bud")
    repo.commit("BUD-0001: first delivery", {"src/app.py": "print('ok')\n"})
    assert repo.git("push", world.url(server, "huaxin", "BUD"), "main", check=False).returncode == 0
    clone = git(tmp_path, "clone", "-q", world.url(server, "lianchuang", "BUD"), "copy", check=False)
    assert clone.returncode != 0
    assert _reads(database) == []
