"""Catalogues: every message in the templates has a Chinese translation; language negotiation."""

from __future__ import annotations

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from portal import i18n


def _template_messages() -> set[str]:
    found = extract_from_dir(str(i18n.LOCALE_DIR.parent / "templates"), method_map=[("**.html", "jinja2")])
    return {message if isinstance(message, str) else message[0] for _, _, message, _, _ in found}


def test_every_template_message_is_translated_to_chinese() -> None:
    with (i18n.LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle)
    translated = {m.id for m in catalog if m.id and m.string}
    missing = _template_messages() - translated
    assert not missing, f"untranslated: {sorted(missing)}"


def test_catalogues_compile() -> None:
    catalogues = i18n.load_catalogues()
    assert catalogues["zh_CN"].gettext("Dashboard") == "仪表盘"
    assert catalogues["en"].gettext("Dashboard") == "Dashboard"


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
