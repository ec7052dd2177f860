"""Import/export: both header languages, re-import, round trips, and every kind of broken file."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from sqlmodel import select

from governance.audit.service import events
from governance.errors import RejectedFile
from governance.registry import service as registry
from governance.requirements.models import RequirementStatus as S
from governance.requirements.models import RequirementTransition
from governance.requirements.service import create_requirement, get_requirement, list_requirements
from governance.requirements.spreadsheets import export_requirements, import_requirements
from tests.governance.requirements.conftest import EN, ZH, counts, module, statements

ROWS = [
    ["BUD-0001", "记账", "按科目记录预算\n第二行", "高", "已批准", "会计确认", "张三"],
    ["BUD-0002", "Query balances", "", "low", "proposed", "", ""],
    ["BUD-0003", "Monthly report", "by region", "", "", "", "li.si"],
]


def _import(world, path: Path, key: str = "BUD"):
    with world.session() as session:
        return import_requirements(session, module=module(session, key), path=path, actor="pm")


@pytest.mark.parametrize("name", ["zh.xlsx", "zh.csv"])
def test_chinese_headers_and_values(world, sheet, name) -> None:
    result = _import(world, sheet(name, ZH, ROWS))
    assert result.summary() == {"created": 3, "updated": 0, "moved": 0, "unchanged": 0}
    with world.session() as session:
        first = get_requirement(session, "BUD-0001")
        third = get_requirement(session, "BUD-0003")
        history = session.exec(
            select(RequirementTransition).where(RequirementTransition.requirement_id == first.id)
        ).all()
        imported = [e for e in events(session) if e.action == "requirement.import"]
    assert (first.title, first.priority, first.status, first.owner) == ("记账", "high", S.approved, "张三")
    assert first.description == "按科目记录预算\n第二行" and first.acceptance_criteria == "会计确认"
    assert (third.priority, third.status, third.owner) == ("medium", S.proposed, "li.si")
    assert [(h.from_status, h.to_status, h.reason) for h in history] == [
        (None, "approved", f"imported from {name}")
    ]
    assert len(imported) == 1 and imported[0].data["created"] == 3
    assert imported[0].data["created_keys"] == ["BUD-0001", "BUD-0002", "BUD-0003"]


@pytest.mark.parametrize("name", ["en.xlsx", "en.csv"])
def test_english_headers_and_reimport_updates(world, sheet, name) -> None:
    _import(world, sheet(name, EN, ROWS))
    changed = [list(row) for row in ROWS]
    changed[0][4] = "in_progress"  # approved → in_progress: a legal move
    changed[1][1] = "Query balances by account"
    changed[2][3] = "critical"
    result = _import(world, sheet("again-" + name, EN, changed))
    assert result.summary() == {"created": 0, "updated": 2, "moved": 1, "unchanged": 0}
    assert result.moved == {"BUD-0001": "approved→in_progress"}
    with world.session() as session:
        rows = {r.key: r for r in list_requirements(session, module=module(session))}
        last = session.exec(select(RequirementTransition).order_by(RequirementTransition.id.desc())).first()
    assert rows["BUD-0001"].status is S.in_progress and rows["BUD-0002"].title == "Query balances by account"
    assert rows["BUD-0003"].priority == "critical" and rows["BUD-0001"].updated_at is not None
    assert (last.from_status, last.to_status, last.reason) == (
        "approved",
        "in_progress",
        f"imported from again-{name}",
    )


def test_columns_absent_from_the_file_are_left_alone(world, sheet) -> None:
    _import(world, sheet("full.csv", EN, ROWS))
    _import(world, sheet("short.csv", ["Key", "Title", "Notes (ignored)"], [["BUD-0001", "记账", "x"]]))
    with world.session() as session:
        first = get_requirement(session, "BUD-0001")
    assert (first.status, first.owner, first.priority) == (S.approved, "张三", "high")


def test_empty_cells_on_reimport(world, sheet) -> None:
    _import(world, sheet("full.csv", EN, ROWS))
    result = _import(world, sheet("blanks.csv", EN, [["BUD-0001", "记账", "", "", "", "", ""]]))
    assert result.updated == ["BUD-0001"] and result.moved == {}
    with world.session() as session:
        first = get_requirement(session, "BUD-0001")
    assert (first.priority, first.status, first.owner, first.description) == ("high", S.approved, None, "")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_export_then_import_changes_nothing(world, sheet, tmp_path, fmt, lang) -> None:
    _import(world, sheet("seed.xlsx", ZH, ROWS))
    with world.session() as session:
        create_requirement(
            session,
            module=module(session),
            key="BUD-0010",
            title="  spaced title ",
            description="=SUM(A1:A2) is text, not a formula",
            actor="pm",
            status=S.verified,
        )
        data = export_requirements(session, module=module(session), fmt=fmt, lang=lang)
    path = tmp_path / f"export.{fmt}"
    path.write_bytes(data)
    before = counts(world)
    result = _import(world, path)
    assert result.summary() == {"created": 0, "updated": 0, "moved": 0, "unchanged": 4}
    assert counts(world) == before
    header = (ZH if lang == "zh" else EN)[0]
    assert data.decode("utf-8-sig").startswith(header) if fmt == "csv" else data[:2] == b"PK"


def test_export_into_another_module_creates_the_same_requirements(world, sheet, tmp_path) -> None:
    _import(world, sheet("seed.xlsx", ZH, ROWS))
    with world.session() as session:
        exported = export_requirements(session, module=module(session), fmt="csv", lang="zh").decode(
            "utf-8-sig"
        )
    assert 'BUD-0001,记账,"按科目记录预算\n第二行",高,已批准,会计确认,张三' in exported.replace("\r\n", "\n")


@pytest.mark.parametrize(("name", "delimiter"), [("semi.csv", ";"), ("tabs.tsv", "\t")])
def test_other_delimiters(world, tmp_path, name, delimiter) -> None:
    path = tmp_path / name
    path.write_text(delimiter.join(EN[:2]) + "\n" + delimiter.join(["BUD-0001", "a, b"]) + "\n")
    assert _import(world, path).created == ["BUD-0001"]
    with world.session() as session:
        assert get_requirement(session, "BUD-0001").title == "a, b"


def test_gb18030_and_bom_csv_files_are_read(world, sheet) -> None:
    _import(world, sheet("gbk.csv", ZH, ROWS[:1], encoding="gb18030"))
    _import(world, sheet("bom.csv", ZH, ROWS[1:], encoding="utf-8-sig"))
    with world.session() as session:
        assert [r.title for r in list_requirements(session, module=module(session))] == [
            "记账",
            "Query balances",
            "Monthly report",
        ]


def _zip(entries: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in entries.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def _raw(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _bad_files(tmp_path: Path, sheet) -> dict[str, tuple[Path, list[str]]]:
    utf16 = "Key,Title\nBUD-0001,记账\n".encode("utf-16")
    return {
        "missing column": (
            sheet("a.xlsx", ["需求编号", "描述"], [["BUD-0001", "x"]]),
            ["row 1, column Title (需求名称): required column is missing"],
        ),
        "duplicate column": (
            sheet("b.csv", ["Key", "Title", "需求名称"], [["BUD-0001", "a", "b"]]),
            ["row 1, column 需求名称: column appears twice (also as 'Title')"],
        ),
        "duplicate key": (
            sheet("c.xlsx", EN, [ROWS[0], ROWS[1], ROWS[0]]),
            ["row 4, column Key: duplicate key BUD-0001 (first on row 2)"],
        ),
        "unknown status": (
            sheet("d.csv", ZH, [ROWS[0], ["BUD-0002", "x", "", "", "done", "", ""]]),
            ["row 3, column 状态: unknown status 'done'"],
        ),
        "other prefix": (
            sheet("e.csv", EN, [["TAX-0001", "tax rule"], ["bud-1", "lower"], ["", "no key"]]),
            [
                "row 2, column Key: key 'TAX-0001' has another module's prefix",
                "row 3, column Key: invalid key 'bud-1'",
                "row 4, column Key: the key is empty",
            ],
        ),
        "extra values": (
            _raw(tmp_path, "p.csv", b"Key;Title\nBUD-0001;a; b\nBUD-0002;ok;\n"),
            ["row 2, column #3: more values than header columns (a misplaced delimiter?)"],
        ),
        "bad cells": (
            sheet("f.xlsx", EN, [["BUD-0001", "", "", "urgent!", "", "", "x" * 121]]),
            [
                "row 2, column Title: the title is empty",
                "row 2, column Priority: unknown priority",
                "row 2, column Owner: longer than 120 characters",
            ],
        ),
        "utf-16 csv": (_raw(tmp_path, "g.csv", utf16), ["NUL bytes"]),
        "undecodable csv": (
            _raw(tmp_path, "h.csv", b"Key,Title\nBUD-0001,\xff\xfe\xff\n"),
            ["not UTF-8, UTF-8 with BOM or GB18030"],
        ),
        "empty file": (_raw(tmp_path, "i.csv", b""), ["the file is empty"]),
        "blank xlsx": (sheet("j.xlsx", [], []), ["the file is empty"]),
        "header only": (sheet("k.csv", EN, []), ["header but no requirement rows"]),
        "zip of other things": (
            _raw(tmp_path, "l.xlsx", _zip({"notes.txt": "hello", "img/a.png": "x"})),
            ["a ZIP archive but not an XLSX workbook (it holds: notes.txt, img/a.png)"],
        ),
        "not a zip": (
            _raw(tmp_path, "m.xlsx", b"Key,Title\nBUD-0001,x\n"),
            ["the file is not a ZIP archive"],
        ),
        "damaged workbook": (
            _raw(tmp_path, "n.xlsx", _zip({"[Content_Types].xml": "<oops", "xl/workbook.xml": "<oops"})),
            ["a damaged XLSX workbook"],
        ),
        "wrong type": (_raw(tmp_path, "o.pdf", b"%PDF-1.4"), ["unsupported file type '.pdf'"]),
    }


BAD = [
    "missing column",
    "duplicate column",
    "duplicate key",
    "unknown status",
    "other prefix",
    "bad cells",
    "extra values",
    "utf-16 csv",
    "undecodable csv",
    "empty file",
    "blank xlsx",
    "header only",
    "zip of other things",
    "not a zip",
    "damaged workbook",
    "wrong type",
]


@pytest.mark.parametrize("kind", BAD)
def test_broken_files_import_nothing_and_name_every_problem(world, sheet, tmp_path, kind) -> None:
    _import(world, sheet("seed.csv", EN, [["BUD-0050", "existing"]]))
    path, expected = _bad_files(tmp_path, sheet)[kind]
    before = counts(world)
    with pytest.raises(RejectedFile) as caught:
        _import(world, path)
    assert counts(world) == before
    problems = [str(p) for p in caught.value.problems]
    assert len(problems) == len(expected), problems
    for text, problem in zip(expected, problems, strict=True):
        assert text in problem
    assert caught.value.message.startswith(f"{path.name}: nothing imported")


def test_good_rows_are_not_imported_when_one_row_is_bad(world, sheet) -> None:
    rows = [*ROWS, ["BUD-0004", "ok", "", "", "", "", ""], ["BUD-0005", "bad", "", "", "shipped", "", ""]]
    before = counts(world)
    with pytest.raises(RejectedFile) as caught:
        _import(world, sheet("mixed.xlsx", EN, rows))
    assert [p.row for p in caught.value.problems] == [6]
    assert counts(world) == before


def test_illegal_moves_through_import_are_row_problems(world, sheet) -> None:
    _import(world, sheet("seed.csv", EN, ROWS))
    changed = [list(row) for row in ROWS]
    changed[0][4], changed[1][4], changed[2][1] = "closed", "verified", "renamed"
    before = counts(world)
    with pytest.raises(RejectedFile) as caught:
        _import(world, sheet("jump.csv", EN, changed))
    assert [str(p) for p in caught.value.problems] == [
        "row 2, column Status (状态): cannot move BUD-0001 from approved to closed; "
        "allowed from approved: in_progress, rejected, changed",
        "row 3, column Status (状态): cannot move BUD-0002 from proposed to verified; "
        "allowed from proposed: approved, rejected",
    ]
    assert counts(world) == before


def test_key_registered_in_another_module_is_refused(world, sheet) -> None:
    with world.session() as session:
        other = registry.create_module(
            session, key="BUDX", vendor="Acme", actor="pm", requirement_prefix="BUD"
        )
        create_requirement(session, module=other, key="BUD-0100", title="elsewhere", actor="pm")
    before = counts(world)
    with pytest.raises(
        RejectedFile,
        match=r"row 2, column Key \(需求编号\): key BUD-0100 is already registered "
        r"in module BUDX",
    ):
        _import(world, sheet("x.csv", EN, [["BUD-0100", "mine?"]]))
    assert counts(world) == before


def test_statement_count_does_not_grow_with_rows(world, sheet) -> None:
    """Bulk import: the same handful of statements for 20 rows or 1,200 (no per-row SELECT/INSERT)."""
    used = []
    for size, offset in ((20, 0), (1200, 1000)):
        rows = [[f"BUD-{offset + n:04d}", f"t{n}", "", "", "approved"] for n in range(1, size + 1)]
        path = sheet(f"n{size}.csv", EN[:5], rows)
        with statements(world) as seen:
            _import(world, path)
        used.append(len(seen))
    assert used[0] == used[1] and 5 <= used[0] <= 20, used
