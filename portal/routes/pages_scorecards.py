"""``/scorecards`` (ranking, each vendor's card, quarter selector, XLSX/PDF) and ``/reports/monthly``.

The board comes scoped from :func:`governance.scorecards.service.scorecard_board`: a vendor's
page holds its own card, rank and the number of vendors only. Downloads are audit events.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from governance.monthly import service as monthly
from governance.scorecards.service import record_scorecard, scorecard_board
from governance.scorecards.values import SIX
from governance.timeutil import utcnow
from portal.deps import CurrentUser, DbSession
from portal.routes.api_scorecards import Month
from portal.routes.scorecard_common import (
    LangParam,
    QuarterParam,
    VendorParam,
    attachment,
    chosen_quarter,
    recent_quarters,
)
from portal.templating import locale_for, render
from reports.render.i18n import lang_of
from reports.scorecards.scorecard import FORMATS, filename, scorecard_document

router = APIRouter(include_in_schema=False)


@router.get("/scorecards")
def scorecards_page(
    request: Request, session: DbSession, user: CurrentUser, quarter: QuarterParam = None
) -> Response:
    board = scorecard_board(session, user=user, quarter=chosen_quarter(quarter), now=utcnow())
    context = {"board": board, "quarters": recent_quarters(), "standards": SIX}
    return render(request, "scorecards/index.html", context, user=user)


@router.get("/scorecards/download")
def scorecards_download(
    request: Request,
    session: DbSession,
    user: CurrentUser,
    format: Annotated[Literal["xlsx", "pdf", "html", "json"], Query()] = "xlsx",
    quarter: QuarterParam = None,
    vendor: VendorParam = None,
) -> Response:
    board = scorecard_board(session, user=user, quarter=chosen_quarter(quarter), now=utcnow(), vendor=vendor)
    lang = lang_of(locale_for(request, user))
    content = scorecard_document(board, format, lang)
    record_scorecard(session, user=user, board=board, fmt=format, lang=lang, via="portal")
    return attachment(content, FORMATS[format], filename(board, format, vendor))


@router.get("/reports/monthly")
def monthly_page(request: Request, session: DbSession, user: CurrentUser) -> Response:
    rows = monthly.list_reports(session, user=user)
    return render(request, "scorecards/monthly.html", {"rows": rows}, user=user)


@router.get("/reports/monthly/{month}/{fmt}")
def monthly_download(
    session: DbSession,
    user: CurrentUser,
    month: Month,
    fmt: Literal["pdf", "xlsx", "html", "json"],
    lang: LangParam = "en",
) -> Response:
    document = monthly.download(
        session, user=user, month=month, fmt=fmt, lang="und" if fmt == "json" else lang, via="portal"
    )
    return attachment(document.content, document.media_type, document.filename)
