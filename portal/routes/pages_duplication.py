"""Duplicated code between modules: the portfolio figure (vendors see only their own side)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from governance.scans.portfolio import duplication_pairs
from portal.deps import CurrentUser, DbSession
from portal.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/duplication")
def duplication_page(request: Request, session: DbSession, user: CurrentUser) -> Response:
    return render(
        request, "duplication/index.html", {"pairs": duplication_pairs(session, user=user)}, user=user
    )
