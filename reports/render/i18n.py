"""Documents in English or Chinese: ``reports/locale/<lang>/LC_MESSAGES/*.po``, compiled in memory.

A document is written in one language chosen by its reader (``--lang``, the portal user's
own language), independent of the process locale; the catalogues are read once per process.
"""

from __future__ import annotations

import gettext
from functools import lru_cache
from pathlib import Path
from typing import Literal, get_args

from governance.errors import InvalidInput, said
from scanners.wording import catalogue_files, compiled

Lang = Literal["en", "zh-CN"]
LANGS: tuple[Lang, ...] = get_args(Lang)
LOCALE_DIR = Path(__file__).parent.parent / "locale"
_DIRS: dict[Lang, str] = {"en": "en", "zh-CN": "zh_CN"}


def lang_of(text: str | None) -> Lang:
    """``zh-CN``/``zh_CN``/``zh`` → ``zh-CN``; ``en``/``en-GB``/None → ``en``; others refused."""
    tag = (text or "en").replace("_", "-").lower()
    if tag.startswith("zh"):
        return "zh-CN"
    if tag.startswith("en"):
        return "en"
    raise said(
        InvalidInput,
        "unknown language %(text)s: choose one of %(langs)s",
        text=repr(text),
        langs=", ".join(LANGS),
    )


@lru_cache(maxsize=len(LANGS))
def translations(lang: Lang) -> gettext.NullTranslations:
    """The merged catalogues of ``lang`` (every ``*.po`` of its directory, in name order), then
    the wordings' (:func:`scanners.wording.catalogue_files`: a finding message Govern wrote)."""
    code = _DIRS[lang]
    files = [*sorted((LOCALE_DIR / code / "LC_MESSAGES").glob("*.po")), *catalogue_files(code)]
    return compiled(files, code) or gettext.NullTranslations()
