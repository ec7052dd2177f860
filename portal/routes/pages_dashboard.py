"""The dashboard: figures under governance, heat map, trends, worst-moving modules."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup
from sqlmodel import Session

from governance import access
from governance.registry.models import User
from portal.deps import Caches, CurrentUser, DbSession
from portal.services import dashboard
from portal.services.cache import ScanAggregates
from portal.services.findings import SEVERITIES
from portal.services.scans import STANDARDS
from portal.svg import trend
from portal.templating import locale_for, render, render_fragment

router = APIRouter(include_in_schema=False)


def _body(request: Request, session: Session, user: User, cache: ScanAggregates) -> str:
    board = dashboard.build(session, user=user, cache=cache)
    charts = {row.module.key: trend(row.trend, label=f"{row.module.key} score trend") for row in board.rows}
    return render_fragment(
        request,
        "dashboard/_body.html",
        {"board": board, "standards": STANDARDS, "severities": SEVERITIES, "charts": charts},
        user=user,
    )


@router.get("/")
def dashboard_page(request: Request, session: DbSession, user: CurrentUser, caches: Caches) -> Response:
    """Figures are shared by everyone of one scope for a few seconds (see ``TtlCache``)."""
    body = caches.dashboards.get_or_compute(
        (access.scope_key(user), locale_for(request, user)),
        lambda: _body(request, session, user, caches.aggregates),
    )
    # the body is a fragment rendered by an autoescaping template (cached per scope)
    return render(request, "dashboard/index.html", {"body": Markup(body)}, user=user)  # nosec B704
