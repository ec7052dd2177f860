"""Time in one convention: timezone-aware UTC everywhere, naive values read back as UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime

from governance.errors import InvalidInput, said


def utcnow() -> datetime:
    """Now, aware, in UTC (second precision is not enough for ordering; keep micros)."""
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """SQLite returns naive datetimes; they were stored as UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def parse_day(text: str | None, what: str = "date") -> date | None:
    """A YYYY-MM-DD value typed by a person (a form field, a CLI option); empty means none.

    ``what`` names the field in the refusal (``--until``, ``expiry date``).
    """
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise said(
            InvalidInput, "invalid %(what)s %(text)s: use YYYY-MM-DD", what=what, text=repr(text)
        ) from None
