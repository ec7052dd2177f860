"""`govern requirements …`: every command, and bad input → exit 2, one message, nothing changed."""

from __future__ import annotations

import json
from pathlib import Path

import git
import pytest

from tests.governance.requirements.conftest import EN, ZH, counts, make_repo, write_csv, write_xlsx
from tests.governance.requirements.sources import FILES

ROWS = [
    ["BUD-0001", "记账", "按科目记录", "高", "已批准", "会计确认", "张三"],
    ["BUD-0002", "查询余额", "", "中", "已提出", "", ""],
    ["BUD-0003", "审批", "", "低", "开发中", "", ""],
]


@pytest.fixture
def cli_world(govern, tmp_path: Path) -> Path:
    repo = make_repo(tmp_path / "vendor-bud", FILES)
    assert govern("vendor", "add", "Acme").code == 0
    assert govern("module", "add", "BUD", "--vendor", "Acme", "--remote", str(repo.working_dir)).code == 0
    assert govern("module", "add", "TAX", "--vendor", "Acme").code == 0
    sheet = write_xlsx(tmp_path / "需求.xlsx", ZH, ROWS)
    result = govern("requirements", "import", str(sheet), "--module", "BUD")
    assert result.code == 0, result.err
    assert result.out == "需求.xlsx: 3 created, 0 updated, 0 moved, 0 unchanged\n"
    return tmp_path


def test_list_show_and_move(govern, cli_world) -> None:
    listed = json.loads(govern("requirements", "list", "--module", "BUD", "--status", "已批准", "--json").out)
    assert listed == [
        {
            "key": "BUD-0001",
            "title": "记账",
            "status": "approved",
            "priority": "high",
            "owner": "张三",
            "parent": None,
        }
    ]
    assert "查询余额" in govern("requirements", "list", "--module", "BUD").out
    moved = govern("requirements", "move", "BUD-0001", "in_progress", "--reason", "sprint 3")
    assert (moved.code, moved.out) == (0, "BUD-0001 is now in_progress\n")
    shown = json.loads(govern("requirements", "show", "BUD-0001", "--json").out)
    assert [(h["from"], h["to"], h["actor"], h["reason"]) for h in shown["history"]] == [
        (None, "approved", "tester", "imported from 需求.xlsx"),
        ("approved", "in_progress", "tester", "sprint 3"),
    ]
    assert "sprint 3" in govern("requirements", "show", "BUD-0001").out


def test_show_labels_every_field_in_the_chosen_language(govern, cli_world) -> None:
    chinese = govern("--lang", "zh-CN", "requirements", "show", "BUD-0001").out
    for label in (
        "键：BUD-0001",
        "模块：BUD",
        "标题：记账",
        "状态：已批准",
        "优先级：高",
        "负责人：张三",
    ):
        assert f"{label}\n" in chinese, chinese
    assert "描述：按科目记录\n" in chinese and "验收标准：会计确认\n" in chinese and "上级：\n" in chinese
    assert not any(f"{name}:" in chinese for name in ("key", "title", "description", "acceptance_criteria"))
    english = govern("--lang", "en", "requirements", "show", "BUD-0001").out
    assert "key: BUD-0001\n" in english and "acceptance_criteria: 会计确认\n" in english
    assert "parent: \n" in english and "键" not in english
    assert "status: approved\n" in english and "priority: high\n" in english  # codes read as themselves
    raw = json.loads(govern("--lang", "zh-CN", "requirements", "show", "BUD-0001", "--json").out)
    assert raw["status"] == "approved"  # a machine face keeps the code


def test_import_and_links_counts_in_the_chosen_language(govern, cli_world) -> None:
    sheet = str(cli_world / "需求.xlsx")
    chinese = govern("--lang", "zh-CN", "requirements", "import", sheet, "--module", "BUD").out
    assert chinese == "需求.xlsx：新建 0，更新 0，状态变更 0，未变 3\n"
    english = govern("--lang", "en", "requirements", "import", sheet, "--module", "BUD").out
    assert english == "需求.xlsx: 0 created, 0 updated, 0 moved, 3 unchanged\n"
    found = govern("--lang", "zh-CN", "requirements", "links", "refresh", "--module", "BUD").out
    assert "：代码 4，测试 5，提交 0，未知引用 3\n" in found and "BUD（" in found


@pytest.mark.parametrize(("fmt", "lang"), [("csv", "en"), ("csv", "zh"), ("xlsx", "en"), ("xlsx", "zh")])
def test_export_round_trip(govern, cli_world, database, fmt, lang) -> None:
    target = cli_world / f"out.{fmt}"
    exported = govern(
        "requirements", "export", "--module", "BUD", "--format", fmt, "--lang", lang, "--output", str(target)
    )
    assert exported.code == 0 and target.stat().st_size > 0
    before = counts(database)
    again = govern("requirements", "import", str(target), "--module", "BUD")
    assert again.out == f"out.{fmt}: 0 created, 0 updated, 0 moved, 3 unchanged\n"
    assert counts(database) == before


def test_csv_export_to_stdout(govern, cli_world) -> None:
    out = govern("requirements", "export", "--module", "BUD", "--format", "csv").out
    assert out.lstrip("\ufeff").splitlines()[0] == ",".join([*EN, "Parent"])


def test_parent_command_places_shows_refuses_and_clears(govern, cli_world) -> None:
    placed = govern("requirements", "parent", "BUD-0002", "BUD-0001")
    assert (placed.code, placed.out) == (0, "BUD-0002 is now under BUD-0001\n")
    assert "children: BUD-0002\n" in govern("requirements", "show", "BUD-0001").out
    assert json.loads(govern("requirements", "show", "BUD-0002", "--json").out)["parent"] == "BUD-0001"
    loop = govern("requirements", "parent", "BUD-0001", "BUD-0002")
    assert loop.code == 2 and "makes a cycle: BUD-0001 → BUD-0002 → BUD-0001" in loop.err
    cleared = govern("requirements", "parent", "BUD-0002")
    assert (cleared.code, cleared.out) == (0, "BUD-0002 has no parent\n")


def test_bad_rows_are_listed_in_the_cli_language(govern, cli_world, database) -> None:
    bad = write_csv(cli_world / "bad.csv", EN, [["BUD-0001", "x", "", "", "closed"], ["TAX-0001", "y"]])
    before = counts(database)
    result = govern("--lang", "zh-CN", "requirements", "import", str(bad), "--module", "BUD")
    assert result.code == 2
    lines = result.err.splitlines()
    assert lines[0] == "错误：bad.csv：未导入任何内容，共 2 个问题："
    assert [line.split("：")[0].strip() for line in lines[1:]] == [
        "第 2 行，Status (状态) 列",
        "第 3 行，Key 列",
    ]
    assert counts(database) == before


def test_bad_rows_are_all_listed(govern, cli_world, database) -> None:
    bad = write_csv(
        cli_world / "bad.csv",
        EN,
        [["BUD-0001", "x", "", "", "closed"], ["TAX-0001", "y"], ["BUD-0009", "", "", "P0"]],
    )
    before = counts(database)
    result = govern("requirements", "import", str(bad), "--module", "BUD")
    assert result.code == 2 and "Traceback" not in result.err
    lines = result.err.splitlines()
    assert lines[0] == "error: bad.csv: nothing imported, 4 problems:"
    assert [line.split(":")[0].strip() for line in lines[1:]] == [
        "row 2, column Status (状态)",
        "row 3, column Key",
        "row 4, column Title",
        "row 4, column Priority",
    ]
    assert counts(database) == before


def test_links_refresh_from_local_remote_then_mirror(govern, cli_world, settings) -> None:
    result = govern("requirements", "links", "refresh", "--module", "BUD")
    assert result.code == 0, result.err
    assert ": 4 code, 5 test, 0 commit, 3 unknown" in result.out
    assert "unknown reference BUD-0099 at src/budget/service.py:11" in result.out
    mirror = settings.data_dir / "mirrors" / "BUD.git"
    git.Repo.clone_from(str(cli_world / "vendor-bud"), mirror, bare=True)
    vendor = git.Repo(cli_world / "vendor-bud")
    vendor.index.remove(["web/app.js"], working_tree=True)
    vendor.index.commit("drop the web client")  # only in the remote: the mirror is read first
    assert govern("requirements", "links", "refresh", "--module", "BUD").code == 0
    matrix = json.loads(govern("requirements", "matrix", "--module", "BUD", "--format", "json").out)
    assert matrix["rows"][0]["files"] == ["src/budget/service.py", "web/app.js"]
    assert matrix["coverage"]["approved_or_later"] == 2 and matrix["coverage"]["with_code"] == 2


def test_matrix_files(govern, cli_world) -> None:
    target = cli_world / "matrix.xlsx"
    assert (
        govern("requirements", "matrix", "--module", "BUD", "--format", "xlsx", "--output", str(target)).code
        == 0
    )
    assert target.read_bytes()[:2] == b"PK"
    assert (
        govern("requirements", "matrix", "--module", "BUD", "--format", "csv")
        .out.lstrip("\ufeff")
        .startswith("Key")
    )


BAD = [
    (("requirements", "import", "nowhere.csv", "--module", "BUD"), "cannot read the file"),
    (("requirements", "import", "{sheet}", "--module", "NOPE"), "unknown module 'NOPE'"),
    (("requirements", "export", "--module", "BUD", "--format", "pdf"), "unknown format 'pdf'"),
    (("requirements", "export", "--module", "BUD", "--lang", "fr"), "unknown language 'fr'"),
    (("requirements", "export", "--module", "BUD", "--format", "xlsx"), "give --output FILE"),
    (("requirements", "list", "--module", "BUD", "--status", "done"), "unknown status 'done'"),
    (("requirements", "show", "BUD-0404"), "unknown requirement 'BUD-0404'"),
    (
        ("requirements", "move", "BUD-0002", "closed", "--reason", "x"),
        "allowed from proposed: approved, rejected",
    ),
    (("requirements", "move", "BUD-0002", "approved", "--reason", " "), "needs a reason"),
    (("requirements", "matrix", "--module", "BUD", "--format", "pdf"), "unknown format 'pdf'"),
    (("requirements", "links", "refresh", "--module", "TAX"), "module TAX has no mirror"),
]


@pytest.mark.parametrize(
    ("args", "message"), BAD, ids=[" ".join(a[1:3]) + f"-{i}" for i, (a, _) in enumerate(BAD)]
)
def test_bad_input_is_one_line_exit_2_and_changes_nothing(govern, cli_world, database, args, message) -> None:
    args = tuple(arg.replace("{sheet}", str(cli_world / "需求.xlsx")) for arg in args)
    before = counts(database)
    result = govern(*args)
    assert result.code == 2, result.out
    assert message in result.err
    assert result.err.count("\n") == 1 and "Traceback" not in result.err
    assert counts(database) == before
