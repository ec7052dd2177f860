"""The dashboard: figures under governance, heat map, trends, worst-moving modules."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from portal.deps import Aggregates, CurrentUser, DbSession
from portal.services import dashboard
from portal.services.findings import SEVERITIES
from portal.services.scans import STANDARDS
from portal.svg import trend
from portal.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/")
def dashboard_page(request: Request, session: DbSession, user: CurrentUser, cache: Aggregates) -> Response:
    board = dashboard.build(session, user=user, cache=cache)
    charts = {row.module.key: trend(row.trend, label=f"{row.module.key} score trend") for row in board.rows}
    return render(
        request,
        "dashboard/index.html",
        {"board": board, "standards": STANDARDS, "severities": SEVERITIES, "charts": charts},
        user=user,
    )
