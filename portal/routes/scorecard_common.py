"""What the scorecard and monthly-report pages and API share: parameters and file answers."""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import Query
from fastapi.responses import Response

from governance.scorecards.periods import Period, quarter, quarter_of
from governance.timeutil import utcnow

QuarterParam = Annotated[
    str | None, Query(max_length=10, description="Quarter, e.g. 2026Q4 (default: this one)")
]
VendorParam = Annotated[str | None, Query(max_length=120, description="Only this vendor's card")]
LangParam = Annotated[Literal["en", "zh-CN"], Query(description="Document language")]
MonthPath = Annotated[str, "month"]


def chosen_quarter(text: str | None) -> str:
    return text or quarter_of(utcnow()).label


def recent_quarters(count: int = 6) -> list[Period]:
    """This quarter and the ones before it, newest first (the page's selector)."""
    current = quarter_of(utcnow())
    year, number = int(current.label[:4]), int(current.label[-1])
    periods = []
    for _ in range(count):
        periods.append(quarter(year, number))
        year, number = (year - 1, 4) if number == 1 else (year, number - 1)
    return periods


def attachment(content: bytes, media_type: str, filename: str) -> Response:
    disposition = f"attachment; filename*=UTF-8''{quote(filename)}"
    return Response(content, media_type=media_type, headers={"Content-Disposition": disposition})
