"""Rules as documents: what each scanner declares about the rules it reports.

As bandit's plugins carry their test ids next to their code, every scanner (built-in or
third-party) declares its rules through :meth:`rules`: Govern's id (``bandit:B105``),
title, severity, rationale and how to fix, in English and, where Govern writes the text
itself, in Chinese. The registry collects them into one :class:`RuleCatalogue`; standards
are validated against it (a binding to a rule nobody declares is an error naming the file
and line), and the portal's catalogue pages are rendered from it.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from scanners.severity import SEVERITIES, Severity

LANGS = ("en", "zh-CN")


@dataclass(frozen=True, slots=True)
class RuleDoc:
    """One scanner rule as a document. Texts map a language to text; ``en`` is required."""

    id: str
    severity: Severity
    title: Mapping[str, str]
    rationale: Mapping[str, str] = field(default_factory=dict)
    fix: Mapping[str, str] = field(default_factory=dict)

    @property
    def scanner(self) -> str:
        """The scanner that reports this rule (the part of the id before ``:``)."""
        return self.id.partition(":")[0]

    def text(self, name: str, lang: str) -> str:
        """``title``, ``rationale`` or ``fix`` in ``lang``, English when not translated."""
        texts: Mapping[str, str] = getattr(self, name)
        return texts.get(lang) or texts.get("en", "")


def rule_doc(
    rule_id: str,
    severity: Severity,
    en: tuple[str, str, str],
    zh: tuple[str | None, str | None, str | None] | None = None,
) -> RuleDoc:
    """A rule document from ``(title, rationale, fix)`` in English and, where Govern writes
    the text (not a tool's own English documentation), in Chinese."""
    texts: list[dict[str, str]] = [{"en": text} for text in en]
    for index, text in enumerate(zh or ()):
        if text:
            texts[index]["zh-CN"] = text
    return RuleDoc(rule_id, severity, texts[0], texts[1], texts[2])


class RuleDeclarationError(ValueError):
    """A scanner declares a rule badly (wrong prefix, twice, unknown severity, no title)."""


def check_declared(scanner: str, docs: Iterable[RuleDoc]) -> tuple[RuleDoc, ...]:
    """The docs of ``scanner``, checked: ids ``<scanner>:<rule>``, unique, with a title."""
    seen: set[str] = set()
    checked = []
    for doc in docs:
        problem = _problem(scanner, doc, seen)
        if problem:
            raise RuleDeclarationError(f"scanner {scanner!r}: rule {doc.id!r}: {problem}")
        seen.add(doc.id)
        checked.append(doc)
    return tuple(checked)


def _problem(scanner: str, doc: RuleDoc, seen: set[str]) -> str | None:
    prefix, colon, rest = doc.id.partition(":")
    if prefix != scanner or not colon or not rest:
        return f"ids must read '{scanner}:<rule>'"
    if doc.id in seen:
        return "declared twice"
    if doc.severity not in SEVERITIES:
        return f"unknown severity {doc.severity!r}"
    if not doc.title.get("en"):
        return "has no English title"
    return None


@dataclass(frozen=True)
class RuleCatalogue:
    """Every rule the loaded scanners declare, by id, and which scanners were loaded."""

    scanners: tuple[str, ...]
    docs: Mapping[str, RuleDoc]

    @classmethod
    def of(cls, declared: Mapping[str, Iterable[RuleDoc]]) -> RuleCatalogue:
        """From ``{scanner name: its rule docs}`` (each checked by :func:`check_declared`)."""
        docs: dict[str, RuleDoc] = {}
        for name in sorted(declared):
            for doc in check_declared(name, declared[name]):
                docs[doc.id] = doc
        return cls(tuple(sorted(declared)), docs)

    def get(self, rule_id: str) -> RuleDoc | None:
        """The document of one rule, or None when no loaded scanner declares it."""
        return self.docs.get(rule_id)

    def matching(self, pattern: str) -> list[RuleDoc]:
        """Declared rules matching a standard's binding (``pylint:W0611``, ``bandit:*``)."""
        if pattern in self.docs:
            return [self.docs[pattern]]
        return [doc for rule_id, doc in self.docs.items() if fnmatch.fnmatchcase(rule_id, pattern)]
