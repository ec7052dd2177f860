"""Every message the domain raises through ``said()``, and every text Govern writes through
``worded()`` (its own finding messages, sync outcomes, a refused file's problem lines), has a
Chinese translation with the same placeholders."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from pathlib import Path

from babel.messages.pofile import read_po

from portal import i18n
from scanners.wording import catalogue_files

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("governance", "portal", "standards", "reports", "scanners")
#: A named conversion: ``%(name)s``, ``%(name)r``, ``%(count)d`` …
PLACEHOLDER = re.compile(r"%\((\w+)\)[#0 +-]*\d*(?:\.\d+)?[a-zA-Z]")


def _placeholders(text: str) -> list[str]:
    return sorted({match.group(0) for match in PLACEHOLDER.finditer(text)})


def _constants(tree: ast.Module) -> dict[str, str]:
    """Module-level ``NAME = "text"`` assignments (a msgid may be kept in a constant)."""
    found: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign):
            value, targets = node.value, node.targets
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            value, targets = node.value, [node.target]
        else:
            continue
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            found.update({target.id: value.value for target in targets if isinstance(target, ast.Name)})
    return found


def _calls(name: str) -> Callable[[ast.Call], bool]:
    def called(call: ast.Call) -> bool:
        func = call.func
        return (isinstance(func, ast.Name) and func.id == name) or (
            isinstance(func, ast.Attribute) and func.attr == name
        )

    return called


def _said_msgids() -> tuple[dict[str, str], list[str]]:
    """Each ``said(kind, msgid, …)`` msgid with where it is raised, and calls whose msgid is no literal."""
    return _msgids(_calls("said"), 1)


def _worded_msgids() -> tuple[dict[str, str], list[str]]:
    """Each ``worded(msgid, …)`` msgid (text Govern stores or shows beside its English) with where."""
    return _msgids(_calls("worded"), 0)


def _all_msgids() -> tuple[dict[str, str], list[str]]:
    said_ids, said_unresolved = _said_msgids()
    worded_ids, worded_unresolved = _worded_msgids()
    return {**worded_ids, **said_ids}, said_unresolved + worded_unresolved


def _msgids(is_call: Callable[[ast.Call], bool], position: int) -> tuple[dict[str, str], list[str]]:
    """The msgid argument at ``position`` of every call ``is_call`` picks, where it is, and the
    calls whose msgid is no literal (nor a module constant)."""
    trees = {
        path: ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
    }
    everywhere: dict[str, set[str]] = {}
    for tree in trees.values():
        for name, text in _constants(tree).items():
            everywhere.setdefault(name, set()).add(text)
    msgids: dict[str, str] = {}
    unresolved: list[str] = []
    for path, tree in trees.items():
        local = _constants(tree)
        for call in ast.walk(tree):
            if not (isinstance(call, ast.Call) and is_call(call)) or len(call.args) <= position:
                continue
            where = f"{path.relative_to(ROOT)}:{call.lineno}"
            arg = call.args[position]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                msgids.setdefault(arg.value, where)
            elif isinstance(arg, ast.Name) and arg.id in local:
                msgids.setdefault(local[arg.id], where)
            elif isinstance(arg, ast.Name) and len(everywhere.get(arg.id, ())) == 1:
                msgids.setdefault(next(iter(everywhere[arg.id])), where)
            else:
                unresolved.append(where)
    return msgids, unresolved


def _merged_zh_cn() -> dict[str, str]:
    """The zh_CN catalogues merged as the portal merges them: by file name, the first translation wins."""
    merged: dict[str, str] = {}
    for po_path in [
        *sorted((i18n.LOCALE_DIR / "zh_CN" / "LC_MESSAGES").glob("*.po")),
        *catalogue_files("zh_CN"),
    ]:
        with po_path.open("rb") as handle:
            for message in read_po(handle, locale="zh_CN"):
                if message.id and isinstance(message.id, str) and message.id not in merged:
                    merged[message.id] = message.string if isinstance(message.string, str) else ""
    return merged


def test_the_walk_finds_the_domain_messages() -> None:
    msgids, _ = _said_msgids()
    assert "unknown waiver #%(id)s" in msgids
    assert len(msgids) > 150


def test_the_walk_finds_the_stored_wordings() -> None:
    """A finding message, a sync outcome and a problem line, each written with ``worded()``."""
    msgids, _ = _worded_msgids()
    assert "%(lines)s similar lines also in %(places)s" in msgids
    assert "%(lines)s similar lines also in module %(module)s: %(path)s:%(line)s" in msgids
    assert "%(module)s: ok: %(commits)s new commits, %(refs)s refs moved, %(lines)s lines of code" in msgids
    assert "row %(row)s, column %(column)s: %(reason)s" in msgids
    assert "unknown status %(value)r: use one of %(names)s" in msgids


def test_every_said_msgid_is_a_literal_or_a_constant() -> None:
    _, unresolved = _all_msgids()
    assert not unresolved, (
        f"said() needs a literal msgid (or a module constant) to be catalogued: {unresolved}"
    )


def test_every_said_msgid_has_a_chinese_translation() -> None:
    msgids, _ = _all_msgids()
    catalogue = _merged_zh_cn()
    missing = sorted(f"{where}: {msgid!r}" for msgid, where in msgids.items() if not catalogue.get(msgid))
    assert not missing, (
        "no zh_CN translation (add it to portal/locale/zh_CN/LC_MESSAGES/errors.po, or "
        "scanners/locale/zh_CN/LC_MESSAGES/wordings.po for a worded() text):\n" + "\n".join(missing)
    )


def placeholder_mismatches(msgids: dict[str, str]) -> list[str]:
    """``where: msgid → translation`` for each translation whose placeholders differ."""
    catalogue = _merged_zh_cn()
    return [
        f"{where}: {msgid!r} → {catalogue[msgid]!r}"
        for msgid, where in sorted(msgids.items())
        if catalogue.get(msgid) and _placeholders(msgid) != _placeholders(catalogue[msgid])
    ]


def test_translations_keep_the_placeholders() -> None:
    wrong = placeholder_mismatches(_all_msgids()[0])
    assert not wrong, "placeholders differ:\n" + "\n".join(wrong)


def test_translations_render_with_the_parameters() -> None:
    """A translation formats with the msgid's parameters (no stray ``%``)."""
    msgids, _ = _all_msgids()
    catalogue = _merged_zh_cn()
    broken: list[str] = []
    for msgid in msgids:
        params = {name: 1 for name in PLACEHOLDER.findall(msgid)}
        translated = catalogue.get(msgid)
        try:
            if translated:
                _ = translated % params
        except (KeyError, ValueError, TypeError) as exc:
            broken.append(f"{msgid!r} → {translated!r}: {exc}")
    assert not broken, "\n".join(broken)
