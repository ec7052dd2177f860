"""Spreadsheet rows → validated requirement records, collecting every problem (pure).

Nothing here touches the database: header mapping and per-row checks are pure functions,
so the same rules serve the CLI, the portal upload and the tests, and one pass over a file
reports every bad row at once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from governance.errors import Problem
from governance.requirements.models import RequirementStatus
from governance.requirements.tables import Table
from governance.requirements.vocabulary import (
    COLUMNS,
    Column,
    column_for_header,
    parse_priority,
    parse_status,
    status_names,
)
from scanners.wording import Wording, worded

ANY_KEY = re.compile(r"[A-Z][A-Z0-9]{0,19}-\d{1,6}")
LIMITS = {"title": 500, "owner": 120}


@dataclass(frozen=True)
class HeaderMap:
    """Which file column (index) feeds which field, and the header text the file used."""

    index: dict[str, int]
    header: dict[str, str]
    ignored: tuple[str, ...] = ()
    width: int = 0


@dataclass(frozen=True)
class Record:
    """One valid row: the key and the fields the file gives (absent columns are left alone)."""

    row: int
    key: str
    fields: dict[str, str] = field(default_factory=dict)
    status: RequirementStatus | None = None


def map_header(header: tuple[str, ...]) -> tuple[HeaderMap, list[Problem]]:
    """Match headers to columns in either language; duplicates and missing required columns are problems."""
    index: dict[str, int] = {}
    seen: dict[str, str] = {}
    ignored: list[str] = []
    problems: list[Problem] = []
    for position, text in enumerate(header):
        column = column_for_header(text) if text else None
        if column is None:
            ignored.extend([text] if text else [])
        elif column.field in index:
            problems.append(
                Problem(worded("column appears twice (also as %(other)r)", other=seen[column.field]), 1, text)
            )
        else:
            index[column.field], seen[column.field] = position, text
    problems.extend(
        Problem(worded("required column is missing"), 1, column.label)
        for column in COLUMNS
        if column.required and column.field not in index
    )
    return HeaderMap(index, seen, tuple(ignored), len(header)), problems


def _cell(cells: tuple[str, ...], position: int | None) -> str:
    if position is None or position >= len(cells):
        return ""
    return cells[position]


Check = Callable[[str], Wording | None]


def _key_check(prefix: str) -> Check:
    def check(key: str) -> Wording | None:
        if not key:
            return worded("the key is empty")
        if re.fullmatch(rf"{re.escape(prefix)}-\d{{1,6}}", key):
            return None
        if ANY_KEY.fullmatch(key):
            return worded(
                "key %(key)r has another module's prefix; this module's keys are %(prefix)s-<number>",
                key=key,
                prefix=prefix,
            )
        return worded("invalid key %(key)r: expected %(prefix)s-<number>", key=key, prefix=prefix)

    return check


def _title(value: str) -> Wording | None:
    if not value:
        return worded("the title is empty")
    return _too_long("title", value)


def _too_long(name: str, value: str) -> Wording | None:
    limit = LIMITS[name]
    if len(value) <= limit:
        return None
    return worded("longer than %(limit)s characters (%(length)s)", limit=limit, length=len(value))


def _status(value: str) -> Wording | None:
    if not value or parse_status(value) is not None:
        return None
    return worded("unknown status %(value)r: use one of %(names)s", value=value, names=status_names())


def _priority(value: str) -> Wording | None:
    if not value or parse_priority(value) is not None:
        return None
    return worded("unknown priority %(value)r: use critical/紧急, high/高, medium/中 or low/低", value=value)


_CHECKS: dict[str, Check] = {
    "title": _title,
    "status": _status,
    "priority": _priority,
    "owner": lambda value: _too_long("owner", value),
}


def _fields(cells: tuple[str, ...], header: HeaderMap) -> dict[str, str]:
    values = {}
    for column in COLUMNS:
        if column.field in header.index and column.field != "key":
            value = _cell(cells, header.index[column.field])
            values[column.field] = (parse_priority(value) or value) if column.field == "priority" else value
    return values


def _row_problems(
    number: int, cells: tuple[str, ...], values: dict[str, str], header: HeaderMap
) -> list[Problem]:
    problems = [
        Problem(reason, number, header.header[name])
        for name, check in _CHECKS.items()
        if name in values and (reason := check(values[name]))
    ]
    extra = [position for position in range(header.width, len(cells)) if cells[position]]
    if extra:
        problems.append(
            Problem(
                worded("more values than header columns (a misplaced delimiter?)"), number, f"#{extra[0] + 1}"
            )
        )
    return problems


def parse_rows(table: Table, *, prefix: str) -> tuple[list[Record], list[Problem]]:
    """Every row checked: key (format, prefix, duplicates), title, status, priority, lengths."""
    header, problems = map_header(table.header)
    if problems:
        return [], problems
    key_check, first_row = _key_check(prefix), dict[str, int]()
    records: list[Record] = []
    for number, cells in table.rows:
        key = _cell(cells, header.index["key"])
        values = _fields(cells, header)
        found = _row_problems(number, cells, values, header)
        key_problem = key_check(key) or (
            worded("duplicate key %(key)s (first on row %(row)s)", key=key, row=first_row[key])
            if key in first_row
            else None
        )
        if key_problem:
            found.insert(0, Problem(key_problem, number, header.header["key"]))
        first_row.setdefault(key, number)
        if found:
            problems.extend(found)
            continue
        status = values.pop("status", "")
        records.append(Record(number, key, values, parse_status(status) if status else None))
    return records, problems


def column_label(field_name: str) -> str:
    """The bilingual label of a field's column (for problems found after parsing)."""
    column: Column = next(c for c in COLUMNS if c.field == field_name)
    return column.label
