"""``/api/v1/scorecards`` and ``/api/v1/reports/monthly``: the same values as the pages, as JSON.

A vendor's token gets its own card only (its rank and the number of vendors, nothing of the
others); monthly reports are for PMs, auditors and admins. Every answer is an audit event.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from governance.monthly import service as monthly
from governance.scorecards.jsonview import board_json
from governance.scorecards.service import record_scorecard, scorecard_board
from governance.timeutil import as_utc, utcnow
from portal.deps import CurrentUser, DbSession
from portal.routes.api_common import ERRORS
from portal.routes.scorecard_common import LangParam, QuarterParam, VendorParam, attachment, chosen_quarter

router = APIRouter(prefix="/api/v1", tags=["reports"], responses=ERRORS)
Month = Annotated[str, Path(max_length=7, description="Month, e.g. 2026-11")]


@router.get("/scorecards", summary="Vendor scorecards of a quarter (a vendor: its own card)")
def scorecards(
    session: DbSession, user: CurrentUser, quarter: QuarterParam = None, vendor: VendorParam = None
) -> dict[str, Any]:
    board = scorecard_board(session, user=user, quarter=chosen_quarter(quarter), now=utcnow(), vendor=vendor)
    record_scorecard(session, user=user, board=board, fmt="json", lang="en", via="api")
    return board_json(board)


@router.get("/reports/monthly", summary="Stored monthly portfolio reports")
def monthly_reports(session: DbSession, user: CurrentUser) -> list[dict[str, Any]]:
    return [
        {
            "month": report.month,
            "generated_at": as_utc(report.generated_at).isoformat(),
            "generated_by": report.generated_by,
            "documents": [
                {"format": f.format, "lang": f.lang, "size": f.size, "sha256": f.sha256} for f in files
            ],
        }
        for report, files in monthly.list_reports(session, user=user)
    ]


@router.get(
    "/reports/monthly/{month}",
    summary="One monthly report: its figures (json) or a stored document",
    responses={200: {"content": {"application/json": {}, "application/pdf": {}}}},
)
def monthly_report(
    session: DbSession,
    user: CurrentUser,
    month: Month,
    format: Annotated[Literal["json", "pdf", "xlsx", "html"], Query()] = "json",
    lang: LangParam = "en",
) -> Response:
    document = monthly.download(
        session, user=user, month=month, fmt=format, lang="und" if format == "json" else lang, via="api"
    )
    return attachment(document.content, document.media_type, document.filename)
