"""Quarters (``2026Q4``) and months (``2026-11``) as half-open UTC intervals ``[start, end)``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from governance.errors import InvalidInput, said

_QUARTER = re.compile(r"^(\d{4})[-_ ]?[Qq]([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


@dataclass(frozen=True, order=True)
class Period:
    """A calendar quarter or month: its label, its first instant and the first instant after it."""

    label: str
    start: datetime
    end: datetime

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment < self.end


def _first(year: int, month: int) -> datetime:
    return datetime(year + (month - 1) // 12, (month - 1) % 12 + 1, 1, tzinfo=UTC)


def quarter(year: int, number: int) -> Period:
    first_month = 3 * (number - 1) + 1
    return Period(f"{year}Q{number}", _first(year, first_month), _first(year, first_month + 3))


def month(year: int, number: int) -> Period:
    return Period(f"{year}-{number:02d}", _first(year, number), _first(year, number + 1))


def parse_quarter(text: str) -> Period:
    """``2026Q4`` (also ``2026-Q4``, ``2026q4``) or a clear error."""
    found = _QUARTER.match(text.strip())
    if not found:
        raise said(InvalidInput, "invalid quarter %(text)s: write it like 2026Q4", text=repr(text))
    return quarter(int(found.group(1)), int(found.group(2)))


def parse_month(text: str) -> Period:
    """``2026-11`` or a clear error."""
    found = _MONTH.match(text.strip())
    if not found or not 1 <= int(found.group(2)) <= 12:
        raise said(InvalidInput, "invalid month %(text)s: write it like 2026-11", text=repr(text))
    return month(int(found.group(1)), int(found.group(2)))


def quarter_of(moment: datetime) -> Period:
    return quarter(moment.year, (moment.month - 1) // 3 + 1)


def month_of(moment: datetime) -> Period:
    return month(moment.year, moment.month)


def previous_quarter(period: Period) -> Period:
    year, number = int(period.label[:4]), int(period.label[-1])
    return quarter(year - 1, 4) if number == 1 else quarter(year, number - 1)


def previous_month(period: Period) -> Period:
    year, number = int(period.label[:4]), int(period.label[5:])
    return month(year - 1, 12) if number == 1 else month(year, number - 1)
