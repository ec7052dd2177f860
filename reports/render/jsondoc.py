"""JSON documents written as a stream and checked against the schemas in ``reports/schemas``.

``json_chunks(head, arrays)`` writes ``{...head, "<name>": [ ... ], ...}`` with each array
read from an iterable one item at a time, so a portfolio of a million findings is never one
list in memory. Values are made JSON-ready by :func:`plain` (dataclasses, times, mappings).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import fields, is_dataclass
from datetime import date, datetime
from functools import lru_cache
from importlib.resources import files
from typing import Any

from governance.reporting.values import FindingRow
from governance.timeutil import as_utc

#: Types JSON takes as they are (exact types: a subclass such as an enum goes the long way).
_SCALARS = frozenset({str, int, float, bool, type(None)})


_FIELD_NAMES: dict[type, tuple[str, ...] | None] = {}
#: Fields JSON leaves out: a finding's wording is for documents a person reads; JSON keeps
#: one language, the English ``message``.
_NOT_EXPORTED: dict[type, frozenset[str]] = {FindingRow: frozenset({"message_wording"})}


def _field_names(kind: type) -> tuple[str, ...] | None:
    """A record's field names (``None``: not a record), looked up once per type.

    Records are dataclasses and named tuples (a named tuple is an object, not a list); a named
    tuple's :data:`_NOT_EXPORTED` fields are left out.
    """
    if kind not in _FIELD_NAMES:
        if is_dataclass(kind):
            _FIELD_NAMES[kind] = tuple(f.name for f in fields(kind))
        else:
            named = getattr(kind, "_fields", None) if issubclass(kind, tuple) else None
            omitted = _NOT_EXPORTED.get(kind, frozenset())
            _FIELD_NAMES[kind] = tuple(n for n in named if n not in omitted) if named is not None else None
    return _FIELD_NAMES[kind]


def plain(value: Any) -> Any:
    """``value`` as JSON-ready data: records to dicts, times to ISO UTC, other tuples to lists.

    Runs for each of a million findings: scalars return at once, a dataclass's field names
    are cached per type, and its scalar fields are copied without a call.
    """
    kind = type(value)
    if kind in _SCALARS:
        return value
    names = _field_names(kind)
    if names is not None:
        return {
            name: item if type(item := getattr(value, name)) in _SCALARS else plain(item) for name in names
        }
    if isinstance(value, datetime):
        return as_utc(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(item) for item in value]
    return value


def _dump(value: Any) -> str:
    return json.dumps(plain(value), ensure_ascii=False, sort_keys=True)


def json_chunks(head: Mapping[str, Any], arrays: Mapping[str, Iterable[Any]]) -> Iterator[str]:
    """One JSON object: ``head``'s keys, then each array of ``arrays`` streamed item by item."""
    opening = _dump(head)
    yield opening[:-1] if arrays else opening
    first_key = not head
    for name, items in arrays.items():
        yield ("" if first_key else ", ") + json.dumps(name) + ": ["
        first_key = False
        for index, item in enumerate(items):
            yield ("," if index else "") + "\n" + _dump(item)
        yield "\n]"
    if arrays:
        yield "}\n"
    else:
        yield "\n"


@lru_cache(maxsize=8)
def schema(name: str) -> dict[str, Any]:
    """A schema shipped in ``reports/schemas`` by file name."""
    text = files("reports").joinpath(f"schemas/{name}").read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def problems(document: Any, schema_name: str) -> list[str]:
    """Where ``document`` breaks the schema (empty when valid), as ``path: message`` lines."""
    from jsonschema.validators import validator_for  # ~3 s to import (its URI grammars): checks only

    loaded = schema(schema_name)
    validator = validator_for(loaded)(loaded)  # the SARIF schema is draft-04, Govern's are 2020-12
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(root)'}: {error.message}"
        for error in sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    ]
