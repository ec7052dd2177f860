"""Everything the CLI says to a person has a zh-CN entry with the same placeholders.

Found by reading the code (every ``_("…")`` in ``governance/cli``, every table's column
names and every shown record's field labels) and by walking the assembled command tree (every
command's and option's help), so a new string without a translation fails here, not in front of
a Chinese project manager.
"""

from __future__ import annotations

import ast
from pathlib import Path

import typer
from babel.messages.pofile import read_po

from governance.cli import clickwords, verdict
from governance.cli.app import app
from governance.cli.lang import TYPER_WORDING, help_owners
from portal import i18n
from tests.portal.test_error_catalogue import _merged_zh_cn, placeholder_mismatches

CLI = Path(__file__).resolve().parents[3] / "governance" / "cli"
CLI_PO = i18n.LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / "cli.po"


#: Helpers whose second argument names a record's keys, translated inside as column headers or labels.
KEYED_OUTPUTS = ("emit_table", "emit_fields", "counts_text")


def _strings(node: ast.AST) -> list[str] | None:
    """The strings of a list or tuple literal, None if it is anything else."""
    if isinstance(node, ast.List | ast.Tuple) and all(
        isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts
    ):
        return [e.value for e in node.elts if isinstance(e, ast.Constant)]
    return None


def _assigned_lists(tree: ast.Module) -> dict[str, list[str]]:
    """``columns = ["id", …]`` anywhere in a module: the names a table's columns may be passed by."""
    found: dict[str, list[str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and (strings := _strings(node.value)) is not None:
            for target in node.targets:
                if isinstance(target, ast.Name):
                    found.setdefault(target.id, []).extend(strings)
    return found


def _called(call: ast.Call, name: str) -> bool:
    return isinstance(call.func, ast.Name) and call.func.id == name


def _code_msgids() -> tuple[dict[str, str], list[str]]:
    """Each msgid the CLI's code translates, with where; and the places whose text is no literal."""
    msgids: dict[str, str] = {}
    unresolved: list[str] = []
    for path in sorted(CLI.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        lists = _assigned_lists(tree)
        for call in (node for node in ast.walk(tree) if isinstance(node, ast.Call)):
            where = f"{path.name}:{call.lineno}"
            if _called(call, "_"):
                arg = call.args[0]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    msgids.setdefault(arg.value, where)
                else:
                    unresolved.append(where)
            elif any(_called(call, name) for name in KEYED_OUTPUTS):
                columns = call.args[1]
                strings = _strings(columns)
                if strings is None and isinstance(columns, ast.Name):
                    strings = lists.get(columns.id)
                if strings is None:
                    unresolved.append(where)
                for column in strings or ():
                    msgids.setdefault(column, where)
    for text in (
        *verdict._METRIC.values(),
        *TYPER_WORDING.values(),
        clickwords.USAGE,
        *clickwords.SYNTAX,
        *clickwords.ERRORS,
    ):
        msgids.setdefault(text, "translated by name")
    return msgids, unresolved


def _help_texts() -> dict[str, str]:
    """Every help text of the assembled ``govern`` (commands, options, arguments, --help)."""
    command = typer.main.get_command(app)
    assert isinstance(command, typer.core.TyperGroup)
    texts: dict[str, str] = {}
    for owner in help_owners(command):
        for attribute in ("help", "short_help"):
            text = getattr(owner, attribute, None)
            if text:
                texts.setdefault(text, f"{getattr(owner, 'name', owner)}.{attribute}")
    return texts


def test_the_walks_find_the_cli_texts() -> None:
    msgids, _ = _code_msgids()
    assert "gate FAILED on %(failed)s of %(total)s conditions:" in msgids
    assert "vendor %(name)s registered" in msgids and "lines_of_code" in msgids
    helps = _help_texts()
    assert "Scan a module now: mirror, analyse, judge by its standards profile, record." in "\n".join(helps)
    assert "Language of the output: en or zh-CN [env GOVERN_LANG]." in helps
    assert len(msgids) > 100 and len(helps) > 200


def test_every_cli_text_is_a_literal() -> None:
    _, unresolved = _code_msgids()
    assert not unresolved, f"_() and table columns need literal text to be catalogued: {unresolved}"


def test_every_cli_text_and_help_has_a_chinese_translation() -> None:
    msgids, _ = _code_msgids()
    texts = {**msgids, **_help_texts()}
    catalogue = _merged_zh_cn()
    missing = sorted(f"{where}: {text!r}" for text, where in texts.items() if not catalogue.get(text))
    assert not missing, "no zh_CN translation (add it to cli.po):\n" + "\n".join(missing)


def test_translations_keep_the_placeholders() -> None:
    wrong = placeholder_mismatches(_code_msgids()[0])
    assert not wrong, "placeholders differ:\n" + "\n".join(wrong)


def test_cli_po_defines_only_what_no_other_catalogue_does() -> None:
    """One definition of a term: cli.po sorts first, so a msgid it repeated would silently
    override the portal's own translation of it."""
    with CLI_PO.open("rb") as handle:
        ours = {message.id for message in read_po(handle) if message.id}
    others: set[str] = set()
    for path in CLI_PO.parent.glob("*.po"):
        if path != CLI_PO:
            with path.open("rb") as handle:
                others |= {message.id for message in read_po(handle) if message.id}
    assert not sorted(ours & others), "reuse the existing translation instead"
