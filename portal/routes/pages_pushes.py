"""A module's push log page, and the PM's "Scan now" button (a CSRF-checked form)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from governance.mirrors import push_log
from governance.scans.on_demand import scan_now
from portal.deps import CsrfChecked, CurrentUser, DbSession
from portal.templating import render

router = APIRouter(include_in_schema=False)
PAGE = 50


@router.get("/modules/{key}/pushes")
def pushes_page(
    request: Request,
    key: str,
    session: DbSession,
    user: CurrentUser,
    *,
    outcome: Annotated[str | None, Query(max_length=20)] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    """The module's pushes, newest first, for whoever may read the module."""
    found = push_log.list_pushes(
        session, user=user, key=key, outcome=outcome, limit=PAGE, offset=(page - 1) * PAGE
    )
    return render(
        request,
        "modules/pushes.html",
        {
            "module": found.module,
            "pushes": found.items,
            "worded": found.worded,
            "total": found.total,
            "outcome": outcome or "",
            "page": page,
            "pages": max(1, -(-found.total // PAGE)),
        },
        user=user,
    )


@router.post("/modules/{key}/scan")
def scan_now_form(
    key: str,
    session: DbSession,
    user: CurrentUser,
    _csrf: CsrfChecked,
    branch: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """The PM's button: queue (or join) a scan of the branch shown, then back to the module page."""
    scan, new = scan_now(session, user=user, key=key, branch=branch or None)
    session.commit()
    done = "queued" if new else "coalesced"
    return RedirectResponse(f"/modules/{quote(key)}?scan={done}&scan_id={scan.id}", status_code=303)
