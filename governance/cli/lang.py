"""The language `govern` speaks: English or zh-CN, chosen once per invocation.

Chosen from ``--lang``, else ``GOVERN_LANG``, else the locale (``LC_ALL``, ``LC_MESSAGES``,
``LANG``), else English — and chosen *before* click parses anything, because click renders
``--help`` and usage errors while parsing, before any command or callback runs.

The translations are the portal's catalogues (``portal/locale``, one definition of every term);
the CLI's own wording is in ``cli.po`` there.  English stays in the code as the msgid, so a
msgid missing from the catalogue still shows, in English.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from typing import Any, get_args

import typer
from typer import rich_utils
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from governance.config import Language
from governance.errors import GovernError, RejectedFile
from portal.i18n import load_catalogue
from scanners.wording import Wording

LANGUAGES: tuple[Language, ...] = get_args(Language)
ENGLISH: Language = "en"
#: The locale variables in POSIX precedence: the first one set decides.
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")
#: Typer's own help wording (panel titles, markers): English here, the msgids of ``cli.po``.
TYPER_WORDING = {
    "ARGUMENTS_PANEL_TITLE": "Arguments",
    "OPTIONS_PANEL_TITLE": "Options",
    "COMMANDS_PANEL_TITLE": "Commands",
    "ERRORS_PANEL_TITLE": "Error",
    "ABORTED_TEXT": "Aborted.",
    "REQUIRED_LONG_STRING": "[required]",
    "DEFAULT_STRING": "[default: {}]",
    "ENVVAR_STRING": "[env var: {}]",
    "RICH_HELP": "Try [blue]'{command_path} {help_option}'[/] for help.",
}

# One language per process invocation, seen by every thread (a ContextVar would not reach the
# threads a scan starts); `activate` sets it at the start of each `main()`.
_translations: gettext.NullTranslations = gettext.NullTranslations()
_language: Language = ENGLISH


def from_locale(environ: Mapping[str, str]) -> Language:
    """zh-CN when the first locale variable set names a Chinese locale (``zh_CN.UTF-8``), else English."""
    for name in LOCALE_VARIABLES:
        value = environ.get(name)
        if value:
            return "zh-CN" if value.lower().startswith("zh") else ENGLISH
    return ENGLISH


def flag_value(argv: Sequence[str], root: TyperGroup) -> str | None:
    """The value of the root's ``--lang`` in ``argv``, read as click will (before the subcommand).

    Subcommands may have a ``--lang`` of their own (a report's document language), so the scan
    stops at the first word that is not a root option; root options taking a value skip it.
    """
    takes_value = {opt for p in root.params if isinstance(p, TyperOption) and not p.is_flag for opt in p.opts}
    words = iter(argv)
    for word in words:
        name, has_value, value = word.partition("=")
        if name == "--lang":
            return value if has_value else next(words, None)
        if not word.startswith("-"):
            return None
        if name in takes_value and not has_value:
            next(words, None)
    return None


def choose(argv: Sequence[str], environ: Mapping[str, str], root: TyperGroup) -> Language:
    """``--lang``, else ``GOVERN_LANG``, else the locale.  A value that is no language is passed
    over here: click (for ``--lang``) and the settings (for ``GOVERN_LANG``) refuse it clearly."""
    for value in (flag_value(argv, root), environ.get("GOVERN_LANG")):
        if value in LANGUAGES:
            return value
    return from_locale(environ)


@cache
def _catalogue(code: Language) -> gettext.NullTranslations:
    """Compiled once per process (tests run many invocations in one); English needs none."""
    if code == ENGLISH:
        return gettext.NullTranslations()
    return load_catalogue(code.replace("-", "_"))


def activate(chosen: Language) -> None:
    """Speak ``chosen`` from now on, Typer's help wording included."""
    global _translations, _language  # pylint: disable=global-statement  # see the comment on _translations
    _translations, _language = _catalogue(chosen), chosen
    for name, english in TYPER_WORDING.items():
        setattr(rich_utils, name, translate(english))


def language() -> Language:
    """The language being spoken: bilingual data (a standard's ``Text``, a rule's title) picks by it."""
    return _language


def translate(msgid: str, params: Mapping[str, object] | None = None) -> str:
    """``msgid`` in the active language, formatted with ``params`` (``%(name)s``) when given."""
    text = _translations.gettext(msgid)
    return text % params if params else text


def _(msgid: str, /, **params: object) -> str:
    """The CLI's gettext: ``_("vendor %(name)s registered", name=name)``.

    Takes a literal msgid so that the catalogue test finds every one by reading the code.
    """
    return translate(msgid, params)


def shown(wording: Wording) -> str:
    """Text Govern stored as a wording (a sync's result, a problem line) in the active language."""
    return wording.shown(_translations.gettext)


def error_text(error: GovernError) -> str:
    """A domain error as the user reads it: its msgid translated, else its English message.

    A refused file is its heading and then each problem line, each translated.
    """
    if isinstance(error, RejectedFile):
        return "\n".join([shown(error.heading), *(f"  {shown(p.wording)}" for p in error.listed)])
    return translate(error.msgid, error.params) if error.msgid else error.message


def help_owners(command: TyperCommand | TyperGroup) -> Iterator[Any]:
    """``command``, its parameters and its ``--help`` option, then the same for every subcommand:
    each object whose ``help``/``short_help`` a person reads (the catalogue test walks them too)."""
    yield command
    yield from (param for param in command.params if isinstance(param, TyperOption | TyperArgument))
    yield command.get_help_option(typer.Context(command))
    if isinstance(command, TyperGroup):
        for sub in command.commands.values():
            if isinstance(sub, TyperCommand | TyperGroup):
                yield from help_owners(sub)


def translate_help(command: TyperCommand | TyperGroup) -> None:
    """Put the help texts of ``command`` and everything under it in the active language.

    The English help stays in the code (docstrings, ``help=``) and is the msgid; the click
    objects are built anew by each invocation, so translating them in place changes no code.
    """
    from rich.markup import escape  # typer renders help as rich markup: "[env X]" would be a tag

    for owner in help_owners(command):
        for attribute in ("help", "short_help"):
            text = getattr(owner, attribute, None)
            if text:
                setattr(owner, attribute, escape(translate(text)))
