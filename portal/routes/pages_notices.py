""" "My notices" (everyone: address, events, immediate or daily digest) and the webhooks page (PMs, admins).

Forms post with the CSRF token and call :mod:`governance.notices`, which validates and audits.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from governance import access
from governance.errors import UserError
from governance.notices.channels import send_now
from governance.notices.events import EVENTS
from governance.notices.preferences import get_preferences, set_preferences
from governance.notices.subscriptions import add_webhook, list_webhooks, ping_request, remove_webhook
from governance.registry import service as registry
from governance.registry.models import User
from governance.timeutil import utcnow
from portal.deps import CsrfChecked, CurrentUser, DbSession
from portal.templating import render

router = APIRouter(include_in_schema=False)


def _mine(request: Request, session: Session, user: User, status: int = 200, **extra: Any) -> Response:
    context = {"prefs": get_preferences(session, user=user), "error": None, "saved": False, **extra}
    return render(request, "notices/mine.html", context, user=user, status_code=status)


@router.get("/me/notices")
def my_notices(request: Request, session: DbSession, user: CurrentUser) -> Response:
    return _mine(request, session, user, saved=request.query_params.get("saved") == "1")


@router.post("/me/notices")
def save_my_notices(
    request: Request,
    session: DbSession,
    user: CurrentUser,
    _csrf: CsrfChecked,
    email: Annotated[str, Form(max_length=254)] = "",
    mode: Annotated[str, Form(max_length=10)] = "immediate",
    events: Annotated[list[str] | None, Form()] = None,
) -> Response:
    try:
        set_preferences(session, user=user, email=email, mode=mode, events=events or [])
    except UserError as exc:
        session.rollback()
        return _mine(request, session, user, status=exc.http_status, error=exc.message)
    session.commit()
    return RedirectResponse("/me/notices?saved=1", status_code=303)


def _hooks(request: Request, session: Session, user: User, status: int = 200, **extra: Any) -> Response:
    access.require(access.can_manage(user), "manage webhooks")
    context = {
        "hooks": list_webhooks(session),
        "modules": registry.list_modules(session),
        "vendors": registry.list_vendors(session),
        "events": EVENTS,
        "error": None,
        # no secret issued yet (bandit B105)
        "secret": None,  # nosec B105
        "ping": None,
        **extra,
    }
    return render(request, "notices/webhooks.html", context, user=user, status_code=status)


@router.get("/admin/webhooks")
def webhooks_page(request: Request, session: DbSession, user: CurrentUser) -> Response:
    return _hooks(request, session, user)


@router.post("/admin/webhooks")
def add_webhook_form(
    request: Request,
    session: DbSession,
    user: CurrentUser,
    _csrf: CsrfChecked,
    url: Annotated[str, Form(max_length=500)],
    owner: Annotated[str, Form(max_length=200)],
    events: Annotated[list[str] | None, Form()] = None,
) -> Response:
    access.require(access.can_manage(user), "manage webhooks")
    kind, _, name = owner.partition(":")
    try:
        _hook, secret = add_webhook(
            session,
            url=url,
            actor=user.name,
            module=name if kind == "module" else None,
            vendor=name if kind == "vendor" else None,
            events=events or [],
        )
    except UserError as exc:
        session.rollback()
        return _hooks(request, session, user, status=exc.http_status, error=exc.message)
    session.commit()
    return _hooks(request, session, user, secret=secret)


@router.post("/admin/webhooks/{webhook_id}/remove")
def remove_webhook_form(
    webhook_id: int, request: Request, session: DbSession, user: CurrentUser, _csrf: CsrfChecked
) -> Response:
    access.require(access.can_manage(user), "manage webhooks")
    try:
        remove_webhook(session, webhook_id=webhook_id, actor=user.name)
    except UserError as exc:
        session.rollback()
        return _hooks(request, session, user, status=exc.http_status, error=exc.message)
    session.commit()
    return RedirectResponse("/admin/webhooks", status_code=303)


@router.post("/admin/webhooks/{webhook_id}/test")
def test_webhook_form(
    webhook_id: int, request: Request, session: DbSession, user: CurrentUser, _csrf: CsrfChecked
) -> Response:
    access.require(access.can_manage(user), "manage webhooks")
    try:
        ping = ping_request(session, webhook_id=webhook_id, now=utcnow())
    except UserError as exc:
        return _hooks(request, session, user, status=exc.http_status, error=exc.message)
    session.commit()  # nothing stays open while the receiver answers
    attempt = send_now(ping)
    return _hooks(request, session, user, ping=(webhook_id, attempt))
