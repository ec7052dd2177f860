"""Catalogues: every message in the templates has a Chinese translation; language negotiation."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from portal import i18n
from scanners.wording import catalogue_files


def _template_messages() -> set[str]:
    found = extract_from_dir(str(i18n.LOCALE_DIR.parent / "templates"), method_map=[("**.html", "jinja2")])
    return {message if isinstance(message, str) else message[0] for _, _, message, _, _ in found}


def _translated(code: str) -> set[str]:
    translated: set[str] = set()
    for po_path in [*(i18n.LOCALE_DIR / code / "LC_MESSAGES").glob("*.po"), *catalogue_files(code)]:
        with po_path.open("rb") as handle:
            translated |= {m.id for m in read_po(handle) if m.id and m.string}
    return translated


def test_every_template_message_is_translated_to_chinese() -> None:
    translated = _translated("zh_CN")
    missing = _template_messages() - translated
    assert not missing, f"untranslated: {sorted(missing)}"


def test_catalogues_compile() -> None:
    catalogues = i18n.load_catalogues()
    assert catalogues["zh_CN"].gettext("Dashboard") == "仪表盘"
    assert catalogues["en"].gettext("Dashboard") == "Dashboard"


def test_catalogue_files_are_merged(tmp_path: Path) -> None:
    for code, first, second in (("en", "One", "Two"), ("zh_CN", "一", "二")):
        folder = tmp_path / code / "LC_MESSAGES"
        folder.mkdir(parents=True)
        (folder / "a.po").write_text(f'msgid "one"\nmsgstr "{first}"\n', encoding="utf-8")
        (folder / "b.po").write_text(
            f'msgid "two"\nmsgstr "{second}"\n\nmsgid "one"\nmsgstr "ignored"\n', encoding="utf-8"
        )
    catalogues = i18n.load_catalogues(tmp_path)
    assert catalogues["zh_CN"].gettext("one") == "一"
    assert catalogues["zh_CN"].gettext("two") == "二"
    assert catalogues["en"].gettext("two") == "Two"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, "en"),
        ("zh-CN,zh;q=0.9", "zh_CN"),
        ("zh-Hans-CN", "zh_CN"),
        ("en-US,zh;q=0.5", "en"),
        ("fr-FR,zh;q=0.4", "zh_CN"),
        ("de, fr", "en"),
        ("zh;q=bogus, en;q=0.1", "en"),
        ("!!!", "en"),
    ],
)
def test_accept_language(header: str | None, expected: str) -> None:
    assert i18n.from_accept_language(header) == expected
