"""Every text of a document (templates and table headers) has a Chinese translation."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from governance.errors import InvalidInput
from reports.render.i18n import LOCALE_DIR, lang_of, translations

REPORTS = Path(__file__).parents[2] / "reports"


def _messages() -> set[str]:
    found = [
        *extract_from_dir(str(REPORTS / "templates"), method_map=[("**.html", "jinja2")]),
        *extract_from_dir(str(REPORTS / "documents"), method_map=[("**.py", "python")], keywords={"_": None}),
    ]
    return {message if isinstance(message, str) else message[0] for _, _, message, _, _ in found}


def test_every_document_message_is_translated_to_chinese() -> None:
    translated: set[str] = set()
    for po_path in (LOCALE_DIR / "zh_CN" / "LC_MESSAGES").glob("*.po"):  # merged at run time, as here
        with po_path.open("rb") as handle:
            translated |= {m.id for m in read_po(handle) if m.id and m.string}
    messages = _messages()
    assert len(messages) > 80
    assert not messages - translated, sorted(messages - translated)


def test_languages() -> None:
    assert translations("zh-CN").gettext("Portfolio report") == "总体报告"
    assert translations("en").gettext("false_positive") == "false positive"
    assert [lang_of(t) for t in ("zh_CN", "zh", "ZH-cn", "en-GB", None)] == [
        "zh-CN",
        "zh-CN",
        "zh-CN",
        "en",
        "en",
    ]
    with pytest.raises(InvalidInput):
        lang_of("fr")
