"""Text Govern writes itself, kept as its wording and values so a page can translate it.

Govern stores and prints English (the API, JSON, SARIF, the CLI and the audit trail are
machine faces and keep one language), but a person on the portal reads zh-CN or English.
A :class:`Wording` is the pair a translation needs: the English ``msgid`` (``%(name)s``
placeholders, as :func:`governance.errors.said` uses) and the values that fill it. The
English text is ``str(wording)``; a page renders :meth:`Wording.shown` with its catalogue.

It lives in ``scanners`` (the lowest layer) because every layer writes such text: finding
messages (scanners, project checks), mirror sync outcomes and a refused file's problem lines
(the domain). One value type, one JSON form (:meth:`as_json`, stored in nullable JSON columns
beside the English text), one way to render it.

A value may itself be a :class:`Wording` ("row 3: %(reason)s" with the reason's own
wording), so a sentence built from parts is translated part by part.

The translations of every msgid are here too, in :data:`LOCALE_DIR`
(``scanners/locale/<lang>/LC_MESSAGES/wordings.po``): beside the value type, in the lowest
layer, so every face that shows a wording (portal pages, the CLI, document reports) merges
the one catalogue into its own with :func:`catalogue_files`.
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Union

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

#: The wordings' catalogues, one directory per language (``zh_CN``), gettext's layout.
LOCALE_DIR = Path(__file__).with_name("locale")

#: A value that fills a placeholder; nested wordings are translated too.
Value = Union[str, int, float, "Wording"]


@dataclass(frozen=True, slots=True)
class Wording:
    """An English ``msgid`` and the values of its placeholders (hashable, like the findings holding it)."""

    msgid: str
    args: tuple[tuple[str, Value], ...] = ()

    @property
    def params(self) -> dict[str, Value]:
        """The values by placeholder name."""
        return dict(self.args)

    def __str__(self) -> str:
        """The English text (what is stored and printed)."""
        return self.shown(_untranslated)

    def shown(self, translate: Callable[[str], str]) -> str:
        """The text in the language of ``translate`` (a gettext function); nested wordings too.

        A catalogue entry that lost or mangled a placeholder falls back to the English
        wording rather than failing a page.
        """
        values = {
            name: value.shown(translate) if isinstance(value, Wording) else value for name, value in self.args
        }
        for wording in (translate(self.msgid), self.msgid):
            try:
                return wording % values
            except (KeyError, ValueError, TypeError):
                continue
        return self.msgid

    @classmethod
    def verbatim(cls, text: str) -> Wording:
        """Text shown as written in every language (a tool's own words), as a wording.

        The text is a value of a bare placeholder, not a msgid: a catalogue never replaces it and
        a ``%`` in it is never read as a placeholder.
        """
        return cls("%(text)s", (("text", text),))

    def as_json(self) -> dict[str, object]:
        """The stored form: ``{"msgid": …, "args": {name: value or nested form}}``."""
        return {
            "msgid": self.msgid,
            "args": {
                name: value.as_json() if isinstance(value, Wording) else value for name, value in self.args
            },
        }

    @classmethod
    def from_json(cls, data: object) -> Wording | None:
        """Inverse of :meth:`as_json`; None for None or anything malformed (a row stays shown as stored)."""
        if not isinstance(data, Mapping) or not isinstance(data.get("msgid"), str):
            return None
        raw = data.get("args") or {}
        if not isinstance(raw, Mapping):
            return None
        args: list[tuple[str, Value]] = []
        for name, value in raw.items():
            nested = cls.from_json(value) if isinstance(value, Mapping) else None
            if nested is not None:
                args.append((str(name), nested))
            elif isinstance(value, (str, int, float)):
                args.append((str(name), value))
            else:
                return None
        return cls(data["msgid"], tuple(args))


def worded(msgid: str, **args: Value) -> Wording:
    """A :class:`Wording` of ``msgid`` with ``args``: ``worded("%(n)s similar lines", n=4)``.

    Call it with a literal msgid (or a module constant): the catalogue test finds the msgids
    by reading these calls, and requires a zh-CN entry with the same placeholders for each.
    """
    return Wording(msgid, tuple(args.items()))


def nested(items: Iterable[Wording], pair: Callable[[Wording, Wording], Wording], empty: Wording) -> Wording:
    """``items`` joined right to left by ``pair`` (one item and the rest), ``empty`` for none.

    A list becomes nested wordings rather than one joined string, so each item and each
    separator translate. The caller's ``pair`` holds its literal ``worded`` call, which keeps
    the separator's msgid visible to the catalogue test.
    """
    ordered = list(items)
    if not ordered:
        return empty
    joined = ordered[-1]
    for item in reversed(ordered[:-1]):
        joined = pair(item, joined)
    return joined


def in_language(text: object, wording: object, translate: Callable[[str], str]) -> str:
    """Text Govern stored beside its wording (a finding's message, a sync outcome) in the
    language of ``translate``: the wording (a :class:`Wording` or its stored JSON) when there is
    one, else the text as stored (a tool's own words, a row from before wordings were kept).

    The one rule every human face (portal pages, document reports) follows.
    """
    found = wording if isinstance(wording, Wording) else Wording.from_json(wording)
    if found is None:
        return "" if text is None else str(text)
    return found.shown(translate)


def catalogue_files(code: str) -> list[Path]:
    """The ``.po`` files translating wordings into ``code`` (``zh_CN``; none for English)."""
    return sorted((LOCALE_DIR / code / "LC_MESSAGES").glob("*.po"))


def compiled(paths: Iterable[Path], code: str) -> gettext.GNUTranslations | None:
    """``.po`` files merged in the order given (a message defined twice keeps the first
    translation) and compiled in memory; None when there is no file. The one compile step of
    every face: the portal and the CLI, the document reports and the notices.
    """
    merged = None
    for po_path in paths:
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=code)
        if merged is None:
            merged = catalog
            continue
        for message in catalog:
            if message.id and message.id not in merged:
                merged[message.id] = message
    if merged is None:
        return None
    buffer = io.BytesIO()
    write_mo(buffer, merged)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


@cache
def translations(code: str) -> gettext.NullTranslations:
    """The wordings' catalogues of ``code`` alone, compiled for gettext (no translation for English).

    For a face with no catalogue of its own to merge them into: the domain's notices, whose
    frame texts are tables in :mod:`governance.notices.texts` (the domain cannot read the
    portal's catalogues). Compiled once per process.
    """
    return compiled(catalogue_files(code), code) or gettext.NullTranslations()


def _untranslated(msgid: str) -> str:
    return msgid
