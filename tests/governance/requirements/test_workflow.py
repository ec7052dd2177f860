"""The workflow: allowed moves work and are recorded; others are refused, naming the allowed ones."""

from __future__ import annotations

import pytest
from sqlmodel import select

from governance import audit
from governance.audit.service import events
from governance.errors import Conflict, InvalidInput, NotFound
from governance.requirements.models import RequirementStatus as S
from governance.requirements.models import RequirementTransition
from governance.requirements.service import create_requirement, get_requirement
from governance.requirements.workflow import ALLOWED, move_problem, move_requirement
from tests.governance.requirements.conftest import counts, module

ALL_PAIRS = [(a, b) for a in S for b in S if a != b]
LEGAL = [(a, b) for a, b in ALL_PAIRS if b in ALLOWED[a]]
ILLEGAL = [(a, b) for a, b in ALL_PAIRS if b not in ALLOWED[a]]


def test_the_documented_table() -> None:
    assert ALLOWED[S.proposed] == {S.approved, S.rejected}
    assert ALLOWED[S.approved] == {S.in_progress, S.changed, S.rejected}
    assert ALLOWED[S.in_progress] == {S.implemented, S.changed}
    assert ALLOWED[S.implemented] == {S.verified, S.in_progress, S.changed}
    assert ALLOWED[S.verified] == {S.closed, S.changed}
    assert ALLOWED[S.changed] == {S.approved, S.rejected}
    assert ALLOWED[S.rejected] == {S.proposed}
    assert ALLOWED[S.closed] == set()


@pytest.mark.parametrize(("current", "target"), ILLEGAL, ids=[f"{a}->{b}" for a, b in ILLEGAL])
def test_illegal_moves_name_the_allowed_ones(current: S, target: S) -> None:
    found = move_problem("BUD-0001", current, target)
    assert found is not None  # a wording: the portal shows it translated, the CLI as str()
    problem = str(found)
    assert f"from {current.value} to {target.value}" in problem
    allowed = ALLOWED[current]
    assert all(s.value in problem for s in allowed) or (not allowed and "final" in problem)


@pytest.mark.parametrize(("current", "target"), LEGAL, ids=[f"{a}->{b}" for a, b in LEGAL])
def test_legal_moves_are_allowed(current: S, target: S) -> None:
    assert move_problem("BUD-0001", current, target) is None


def _register(world, status: S = S.proposed) -> None:
    with world.session() as session:
        create_requirement(
            session, module=module(session), key="BUD-0001", title="Book entries", actor="pm", status=status
        )


def test_full_path_records_history_and_audit(world) -> None:
    _register(world)
    # back to work once, a change request after verification, then on to closed
    forward = ["approved", "in_progress", "implemented"]
    path = [*forward, "in_progress", "implemented", "verified", "changed", *forward, "verified", "closed"]
    for number, status in enumerate(path):
        with world.session() as session:
            move_requirement(
                session, key="BUD-0001", to_status=status, reason=f"step {number}", actor="alice"
            )
    with world.session() as session:
        requirement = get_requirement(session, "BUD-0001")
        history = session.exec(select(RequirementTransition).order_by(RequirementTransition.id)).all()
        moves = [e for e in events(session) if e.action == "requirement.move"]
        assert audit.verify(session).ok
    assert requirement.status is S.closed
    assert [h.to_status for h in history] == ["proposed", *path]
    assert [h.from_status for h in history[1:]] == ["proposed", *path[:-1]]
    assert all(h.actor == "alice" and h.reason == f"step {i}" for i, h in enumerate(history[1:]))
    assert [e.data for e in moves][:2] == [
        {"from": "proposed", "to": "approved", "reason": "step 0"},
        {"from": "approved", "to": "in_progress", "reason": "step 1"},
    ]
    assert len(moves) == len(path) and all(e.actor == "alice" and e.target_id == "BUD-0001" for e in moves)


def test_chinese_status_names_are_accepted(world) -> None:
    _register(world)
    with world.session() as session:
        moved = move_requirement(session, key="BUD-0001", to_status="已批准", reason="评审通过", actor="pm")
    assert moved.status is S.approved


@pytest.mark.parametrize(
    ("status", "reason", "error", "message"),
    [
        ("closed", "done", Conflict, "allowed from proposed: approved, rejected"),
        ("proposed", "again", Conflict, "already proposed"),
        ("finished", "x", InvalidInput, "unknown status 'finished'"),
        ("approved", "  ", InvalidInput, "needs a reason"),
    ],
)
def test_bad_moves_change_nothing(world, status, reason, error, message) -> None:
    _register(world)
    before = counts(world)
    with pytest.raises(error, match=message), world.session() as session:
        move_requirement(session, key="BUD-0001", to_status=status, reason=reason, actor="pm")
    assert counts(world) == before


def test_closed_is_final(world) -> None:
    _register(world, S.closed)
    with pytest.raises(Conflict, match="none: it is final"), world.session() as session:
        move_requirement(session, key="BUD-0001", to_status="changed", reason="late change", actor="pm")


def test_unknown_requirement(world) -> None:
    with pytest.raises(NotFound, match="BUD-0404"), world.session() as session:
        move_requirement(session, key="BUD-0404", to_status="approved", reason="x", actor="pm")
