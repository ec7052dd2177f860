"""Chinese (zh-CN) and English through Jinja2's i18n extension and Babel catalogues.

The ``.po`` catalogues under ``portal/locale`` are compiled in memory when the app is built
(no build step, no write into the installed package).  The language is the user's own
(``User.locale``) or the best match of the browser's ``Accept-Language``; the template
callables read the request's translations from a context variable set just before rendering.
"""

from __future__ import annotations

import gettext
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from markupsafe import Markup

from scanners.wording import catalogue_files, compiled

LOCALE_DIR = Path(__file__).with_name("locale")
SUPPORTED = ("en", "zh_CN")
DEFAULT = "en"

_current: ContextVar[gettext.NullTranslations] = ContextVar("govern_translations")


def load_catalogues(directory: Path = LOCALE_DIR) -> dict[str, gettext.NullTranslations]:
    """Every supported language's catalogue (see :func:`load_catalogue`)."""
    return {code: load_catalogue(code, directory) for code in SUPPORTED}


def load_catalogue(code: str, directory: Path = LOCALE_DIR) -> gettext.NullTranslations:
    """Compile one language's ``*.po`` files, merged, to an in-memory ``GNUTranslations``.

    Every area keeps its own catalogue file (``messages.po``, ``tickets.po``, ``cli.po`` …) so
    that features can add their strings without touching one shared file; files are merged in
    name order, and a message defined twice keeps the first translation. The wordings' own
    catalogue (:func:`scanners.wording.catalogue_files`, shared with the document reports)
    comes last.  The CLI loads just the language it speaks, so a command in English compiles
    nothing.
    """
    files = [*sorted((directory / code / "LC_MESSAGES").glob("*.po")), *catalogue_files(code)]
    translations = compiled(files, code)
    if translations is None:
        raise FileNotFoundError(f"no catalogue for {code} in {directory}")
    return translations


def normalise(tag: str | None) -> str | None:
    """``zh-CN``, ``zh_Hans_CN``, ``zh`` → ``zh_CN``; ``en-GB`` → ``en``; unknown → None."""
    if not tag:
        return None
    try:
        locale = Locale.parse(tag.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return None
    if locale.language == "zh":
        return "zh_CN"
    return "en" if locale.language == "en" else None


def from_accept_language(header: str | None) -> str:
    """The highest-weighted supported language in an ``Accept-Language`` header."""
    best, best_q = DEFAULT, -1.0
    for part in (header or "").split(","):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        code = normalise(tag.strip())
        if code and quality > best_q:
            best, best_q = code, quality
    return best


def activate(translations: gettext.NullTranslations) -> None:
    """Make ``translations`` the ones templates use in this context (one request)."""
    _current.set(translations)


_UNTRANSLATED = gettext.NullTranslations()


def _active() -> gettext.NullTranslations:
    return _current.get(_UNTRANSLATED)


def gettext_(message: str) -> str:
    return _active().gettext(message)


def ngettext_(singular: str, plural: str, n: int) -> str:
    return _active().ngettext(singular, plural, n)


def template_message(message: str, /, **variables: Any) -> Markup:
    """``_()`` in an autoescaping template: what Jinja's newstyle gettext does, minus its cost.

    As there, the translation is markup and its ``%(name)s`` values are escaped into it, and
    ``%%`` always means ``%``; Jinja reaches it through two ``Context.call`` hops per string, and
    a page calls it a hundred times (7% of a module page's CPU under load).
    """
    # the translation is Govern's own catalogue, trusted as template source; values are escaped
    text = Markup(_active().gettext(message))  # nosec B704
    return text % variables if variables or "%" in text else text
