""" "My account": who I am, and my API tokens — create (shown once), list, revoke.

Every form posts with the CSRF token and calls :mod:`governance.registry.tokens`, which checks
whose tokens they are and writes the audit event. A bad form value renders the page again with
the message and changes nothing.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from governance.errors import UserError
from governance.registry import tokens
from governance.registry.models import User, Vendor
from portal.deps import CsrfChecked, CurrentUser, DbSession
from portal.routes.api_common import MAX_ID
from portal.templating import error_context, render

router = APIRouter(include_in_schema=False)


def _page(request: Request, session: Session, user: User, status: int = 200, **extra: Any) -> Response:
    vendor = session.get(Vendor, user.vendor_id) if user.vendor_id is not None else None
    context = {
        "me": user,
        "vendor_name": vendor.name if vendor else None,
        "tokens": tokens.list_tokens(session, viewer=user),
        "shown_once": None,  # the API token just issued, shown to its owner once
        **error_context(),
        **extra,
    }
    return render(request, "account/index.html", context, user=user, status_code=status)


@router.get("/account")
def account_page(request: Request, session: DbSession, user: CurrentUser) -> Response:
    return _page(request, session, user)


@router.post("/account/tokens")
def create_token(
    request: Request,
    session: DbSession,
    user: CurrentUser,
    _csrf: CsrfChecked,
    label: Annotated[str, Form(max_length=120)] = "",
    expires: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """A new token for the reader, shown once on the page that answers the form."""
    try:
        plain = tokens.issue(
            session, viewer=user, label=label or None, expires_at=tokens.parse_expiry(expires)
        )
    except UserError as exc:
        session.rollback()
        return _page(request, session, user, exc.http_status, **error_context(exc))
    session.commit()
    return _page(request, session, user, shown_once=plain)


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token(token_id: int, session: DbSession, user: CurrentUser, _csrf: CsrfChecked) -> Response:
    tokens.revoke(session, viewer=user, token_id=min(max(token_id, 0), MAX_ID))
    session.commit()
    return RedirectResponse("/account?done=revoked", status_code=303)
