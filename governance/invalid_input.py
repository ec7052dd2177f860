"""pydantic's validation errors as wordings, so a zh-CN reader sees them in Chinese.

pydantic writes English only. Its message for each error type is a template filled from the
error's context ("Input should be greater than or equal to {ge}"); that template, as a
``%(ge)s`` msgid, and the context are a :class:`~scanners.wording.Wording` whose English is
pydantic's own message, word for word, so the API, the CLI's English and stored texts do not
change. The wordings catalogue translates the types people meet in forms, query strings and
files; any other type (or a template pydantic changes in a later release) reads as pydantic
wrote it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import Any

from scanners.wording import Value, Wording, nested, worded

#: Parts of a location that name where FastAPI read a value, not the value itself.
_SOURCES = frozenset({"query", "path", "body", "header", "cookie", "form"})
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_COUNTED = ("min_length", "max_length", "max_digits", "decimal_places", "whole_digits")


@cache
def _templates() -> dict[str, tuple[str, tuple[str, ...]]]:
    """pydantic's message template of each error type, as a %-style msgid and its placeholders."""
    try:  # pydantic-core lists them for its own docs; without it every message is shown as written
        from pydantic_core._pydantic_core import list_all_errors
    except ImportError:
        return {}
    templates: dict[str, tuple[str, tuple[str, ...]]] = {}
    for entry in list_all_errors():
        template = entry["message_template_python"]
        msgid = _PLACEHOLDER.sub(r"%(\1)s", template.replace("%", "%%"))
        templates[entry["type"]] = (msgid, tuple(dict.fromkeys(_PLACEHOLDER.findall(template))))
    return templates


def _value(value: object) -> Value:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)


def _with_plural(context: Mapping[str, Any]) -> Mapping[str, Any]:
    """pydantic adds ``expected_plural`` ("s" or "") to a count's message itself, outside ``ctx``."""
    counts = [v for k, v in context.items() if k.startswith(_COUNTED) and isinstance(v, int)]
    if not counts or "expected_plural" in context:
        return context
    return {**context, "expected_plural": "" if counts[0] == 1 else "s"}


def what(error: Mapping[str, Any]) -> Wording:
    """The problem of one error (no location), as a wording; pydantic's message as written when
    its type has no template or the template does not give back that message."""
    message = str(error.get("msg", "invalid"))
    template = _templates().get(str(error.get("type")))
    context = _with_plural(error.get("ctx") or {})
    if template is None or any(name not in context for name in template[1]):
        return Wording.verbatim(message)
    msgid, names = template
    wording = Wording(msgid, tuple((name, _value(context[name])) for name in names))
    return wording if str(wording) == message else Wording.verbatim(message)


def where(error: Mapping[str, Any]) -> str:
    """The field an error is about, dotted (``filters.0.rule``); empty for the whole input."""
    return ".".join(str(part) for part in error.get("loc", ()) if part not in _SOURCES)


def problem(error: Mapping[str, Any]) -> Wording:
    """One error: ``field: problem`` (just the problem when it is about the whole input)."""
    place = where(error)
    return worded("%(field)s: %(problem)s", field=place, problem=what(error)) if place else what(error)


def problems(errors: Sequence[Mapping[str, Any]], *, limit: int = 5) -> Wording:
    """The first ``limit`` errors, joined by "; " (each translated on its own)."""
    return _joined([problem(error) for error in errors[:limit]])


def _joined(parts: Iterable[Wording]) -> Wording:
    return nested(
        parts,
        lambda first, rest: worded("%(first)s; %(rest)s", first=first, rest=rest),
        Wording.verbatim("invalid"),
    )
