"""refresh_links on a real repository and commits: links replaced atomically, unknown keys reported."""

from __future__ import annotations

import pytest
from sqlmodel import select

from governance.audit.service import events
from governance.errors import InvalidInput
from governance.requirements.links import UnknownReference, links_of, refresh_links
from governance.requirements.models import RequirementLink
from governance.requirements.service import create_requirement
from tests.governance.requirements.conftest import add_commits, counts, make_repo, module, repo_files
from tests.governance.requirements.sources import FILES, SERVICE_PY


@pytest.fixture
def registered(world):
    with world.session() as session:
        bud = module(session)
        for number in range(1, 6):
            create_requirement(
                session, module=bud, key=f"BUD-{number:04d}", title=f"req {number}", actor="pm"
            )
        add_commits(
            session, bud, [("c1", ["BUD-0001"], 1), ("c2", ["BUD-0001", "BUD-0777"], 1), ("c3", [], 1)]
        )
    return world


def _links(world) -> list[tuple[str, str, str, str]]:
    with world.session() as session:
        return [
            (x.requirement_key, x.kind, x.target, x.detail) for x in links_of(session, module=module(session))
        ]


def test_refresh_from_a_real_repository(registered, tmp_path) -> None:
    repo = make_repo(tmp_path / "bud", FILES)
    sha = repo.head.commit.hexsha
    with registered.session() as session:
        result = refresh_links(
            session, module=module(session), files=repo_files(repo), commit_sha=sha, actor="scan"
        )
    assert result.summary() == {"code": 4, "test": 6, "commit": 2, "unknown": 3}
    assert result.unknown == [
        UnknownReference("BUD-0099", "src/budget/service.py", 11),
        UnknownReference("BUD-0404", "tests/test_service.py", 19),
        UnknownReference("BUD-0777", commit_sha="c2"),
    ]
    assert _links(registered) == [
        ("BUD-0001", "code", "src/budget/service.py", "lines 7"),
        ("BUD-0001", "code", "web/app.js", "lines 1"),
        ("BUD-0001", "commit", "c1", "BUD-0001 work c1"),
        ("BUD-0001", "commit", "c2", "BUD-0001 BUD-0777 work c2"),
        ("BUD-0001", "test", "tests/test_service.py::test_booking_returns_the_entry", "lines 6"),
        ("BUD-0001", "test", "tests/test_service.py::test_booking_twice", "lines 19"),
        ("BUD-0001", "test", "web/app.test.js::books an entry", "lines 3"),
        ("BUD-0002", "code", "src/budget/service.py", "lines 11"),
        ("BUD-0002", "test", "tests/test_service.py::test_unknown_account_has_zero_balance", "lines 14"),
        ("BUD-0003", "code", "src/budget/Approval.java", "lines 4"),
        ("BUD-0003", "test", "src/test/java/budget/ApprovalTest.java::approvesPositiveIds", "lines 6"),
        ("BUD-0004", "test", "src/test/java/budget/ApprovalTest.java::refusesZero", "lines 13"),
    ]
    with registered.session() as session:
        stored = session.exec(select(RequirementLink).where(RequirementLink.kind == "code")).all()
        event = [e for e in events(session) if e.action == "requirement.links.refresh"][-1]
    assert {x.commit_sha for x in stored} == {sha}
    assert event.data == {"at_commit": sha, "code": 4, "test": 6, "commit": 2, "unknown": 3}


def test_refresh_replaces_the_previous_links(registered, tmp_path) -> None:
    repo = make_repo(tmp_path / "bud", FILES)
    with registered.session() as session:
        refresh_links(session, module=module(session), files=repo_files(repo), commit_sha="x")
    (tmp_path / "bud" / "src/budget/service.py").write_text(
        SERVICE_PY.replace("# REQ: BUD-0002, BUD-0099", "#")
    )
    for name in (
        "web/app.js",
        "web/app.test.js",
        "tests/test_service.py",
        "src/test/java/budget/ApprovalTest.java",
    ):
        repo.index.remove([name], working_tree=True)
    repo.index.add(["src/budget/service.py"])
    repo.index.commit("drop markers")
    with registered.session() as session:
        result = refresh_links(session, module=module(session), files=repo_files(repo), commit_sha="y")
    assert result.summary() == {"code": 2, "test": 0, "commit": 2, "unknown": 1}
    assert [(k, kind, t) for k, kind, t, _ in _links(registered)] == [
        ("BUD-0001", "code", "src/budget/service.py"),
        ("BUD-0001", "commit", "c1"),
        ("BUD-0001", "commit", "c2"),
        ("BUD-0003", "code", "src/budget/Approval.java"),
    ]


def test_links_of_other_modules_are_untouched(registered, tmp_path) -> None:
    with registered.session() as session:
        tax = module(session, "TAX")
        create_requirement(session, module=tax, key="TAX-0001", title="tax", actor="pm")
        refresh_links(session, module=tax, files=[("a.py", "# REQ: TAX-0001\n")], commit_sha=None)
        refresh_links(session, module=module(session), files=[], commit_sha=None)
        refresh_links(session, module=module(session), files=[], commit_sha=None)
        assert [x.target for x in links_of(session, module=tax)] == ["a.py"]


def test_module_marker_setting(registered) -> None:
    with registered.session() as session:
        bud = module(session)
        bud.settings = {"requirement_marker": r"@trace\s+\S+"}
        session.add(bud)
        result = refresh_links(
            session,
            module=bud,
            files=[("src/a.py", "x = 1  # @trace BUD-0005\n# REQ: BUD-0001\n")],
            commit_sha=None,
        )
    assert result.code == 1
    assert ("BUD-0005", "code", "src/a.py", "lines 1") in _links(registered)


def test_bad_marker_setting_is_a_clear_error_and_changes_nothing(registered) -> None:
    with registered.session() as session:
        bud = module(session)
        bud.settings = {"requirement_marker": "(unclosed"}
        session.add(bud)
    before = counts(registered)
    message = "module BUD: invalid requirement_marker pattern '\\(unclosed'"
    with pytest.raises(InvalidInput, match=message), registered.session() as session:
        refresh_links(session, module=module(session), files=[("a.py", "# REQ: BUD-0001")], commit_sha=None)
    assert counts(registered) == before
