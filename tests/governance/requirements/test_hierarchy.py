"""Requirement hierarchy: parents through the service and through import, refused whole when wrong."""

from __future__ import annotations

import pytest

from governance.errors import InvalidInput, RejectedFile
from governance.requirements.hierarchy import parent_problem
from governance.requirements.service import (
    create_requirement,
    get_requirement,
    requirement_detail,
    set_parent,
)
from governance.requirements.spreadsheets import export_requirements, import_requirements
from tests.governance.requirements.conftest import EN, counts, module

HEADER = ["Key", "Title", "Parent"]
AT = "row 3, column Parent (上级需求): unknown parent"
NONE_SUCH = "no requirement of this module has that key"


def _import(world, path):
    with world.session() as session:
        return import_requirements(session, module=module(session), path=path, actor="pm")


def _parents(world) -> dict[str, str | None]:
    with world.session() as session:
        return {key: get_requirement(session, key).parent_key for key in ("BUD-1", "BUD-2", "BUD-3", "BUD-4")}


@pytest.mark.parametrize("name", ["tree.csv", "tree.xlsx"])
def test_import_with_parents_named_before_and_after_their_rows(world, sheet, name) -> None:
    rows = [
        ["BUD-3", "leaf", "BUD-2"],  # its parent comes on a later row of the same file
        ["BUD-1", "root", ""],
        ["BUD-2", "branch", "BUD-1"],
        ["BUD-4", "second leaf", "BUD-2"],
    ]
    result = _import(world, sheet(name, HEADER, rows))
    assert result.summary() == {"created": 4, "updated": 0, "moved": 0, "unchanged": 0}
    assert _parents(world) == {"BUD-1": None, "BUD-2": "BUD-1", "BUD-3": "BUD-2", "BUD-4": "BUD-2"}
    with world.session() as session:
        assert requirement_detail(session, key="BUD-2").children == ["BUD-3", "BUD-4"]
        assert requirement_detail(session, key="BUD-2").as_dict()["parent"] == "BUD-1"


def test_export_carries_parents_and_reimport_changes_nothing(world, sheet, tmp_path) -> None:
    _import(world, sheet("tree.csv", HEADER, [["BUD-1", "root", ""], ["BUD-2", "branch", "BUD-1"]]))
    with world.session() as session:
        data = export_requirements(session, module=module(session), fmt="csv")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0] == ",".join([*EN, "Parent"]) and lines[2].endswith(",BUD-1")
    before = counts(world)
    path = tmp_path / "again.csv"
    path.write_bytes(data)
    assert _import(world, path).summary() == {"created": 0, "updated": 0, "moved": 0, "unchanged": 2}
    assert counts(world) == before


def test_reimport_moves_and_clears_parents(world, sheet) -> None:
    tree = [["BUD-1", "a", ""], ["BUD-2", "b", "BUD-1"], ["BUD-3", "c", ""]]
    _import(world, sheet("tree.csv", HEADER, tree))
    result = _import(world, sheet("moved.csv", HEADER, [["BUD-2", "b", ""], ["BUD-3", "c", "BUD-1"]]))
    assert result.updated == ["BUD-2", "BUD-3"]
    with world.session() as session:
        assert get_requirement(session, "BUD-2").parent_key is None
        assert get_requirement(session, "BUD-3").parent_key == "BUD-1"


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (
            [["BUD-1", "root", ""], ["BUD-2", "child", "BUD-9"]],
            [f"{AT} 'BUD-9': {NONE_SUCH}"],
        ),
        (
            [["BUD-1", "root", ""], ["BUD-2", "child", "TAX-1"]],
            [f"{AT} 'TAX-1': {NONE_SUCH}"],
        ),
        (
            [["BUD-1", "a", "BUD-3"], ["BUD-2", "b", "BUD-1"], ["BUD-3", "c", "BUD-2"]],
            [
                "row 2, column Parent (上级需求): parent BUD-3 makes a cycle: BUD-1 → BUD-3 → BUD-2 → BUD-1",
                "row 3, column Parent (上级需求): parent BUD-1 makes a cycle: BUD-2 → BUD-1 → BUD-3 → BUD-2",
                "row 4, column Parent (上级需求): parent BUD-2 makes a cycle: BUD-3 → BUD-2 → BUD-1 → BUD-3",
            ],
        ),
        (
            [["BUD-1", "self", "BUD-1"]],
            ["row 2, column Parent (上级需求): requirement BUD-1 cannot be its own parent"],
        ),
    ],
    ids=["unknown", "other-module", "cycle", "self"],
)
def test_bad_parents_refuse_the_whole_file(world, sheet, rows, expected) -> None:
    before = counts(world)
    with pytest.raises(RejectedFile) as caught:
        _import(world, sheet("bad.csv", HEADER, rows))
    assert [str(p) for p in caught.value.problems] == expected
    assert counts(world) == before


def test_a_cycle_closed_against_the_register_is_refused(world, sheet) -> None:
    _import(world, sheet("tree.csv", HEADER, [["BUD-1", "a", ""], ["BUD-2", "b", "BUD-1"]]))
    before = counts(world)
    with pytest.raises(RejectedFile) as caught:
        _import(world, sheet("loop.csv", HEADER, [["BUD-1", "a", "BUD-2"]]))
    assert [p.row for p in caught.value.problems] == [2]
    assert "cycle: BUD-1 → BUD-2 → BUD-1" in str(caught.value.problems[0])
    assert counts(world) == before


def test_service_checks_parents_on_create_and_update(world) -> None:
    with world.session() as session:
        bud = module(session)
        create_requirement(session, module=bud, key="BUD-1", title="root", actor="pm")
        create_requirement(session, module=bud, key="BUD-2", title="child", actor="pm", parent_key="BUD-1")
        with pytest.raises(InvalidInput, match="unknown parent 'BUD-7'"):
            create_requirement(session, module=bud, key="BUD-3", title="x", actor="pm", parent_key="BUD-7")
        with pytest.raises(InvalidInput, match="makes a cycle: BUD-1 → BUD-2 → BUD-1"):
            set_parent(session, key="BUD-1", parent_key="BUD-2", actor="pm")
        with pytest.raises(InvalidInput, match="cannot be its own parent"):
            set_parent(session, key="BUD-2", parent_key="BUD-2", actor="pm")
        assert set_parent(session, key="BUD-2", parent_key=None, actor="pm").parent_key is None
        session.commit()
    with world.session() as session:
        assert get_requirement(session, "BUD-2").parent_key is None


def test_parent_problem_walks_past_an_existing_cycle_elsewhere() -> None:
    parents = {"A-1": None, "A-2": "A-3", "A-3": "A-2", "A-4": None}
    assert parent_problem("A-4", "A-2", parents) is None
    assert parent_problem("A-4", "A-1", parents) is None
