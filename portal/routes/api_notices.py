"""``/api/v1/webhooks`` (PMs and admins) and ``/api/v1/me/notices`` (everyone, their own).

Thin: validation, masking and audit events are in :mod:`governance.notices`, as for the CLI
and the pages. Writes need a Bearer token, as every API write does.
"""

from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter, Request

from governance import access
from governance.notices.channels import send_now
from governance.notices.preferences import get_preferences, set_preferences
from governance.notices.subscriptions import (
    WebhookView,
    add_webhook,
    list_webhooks,
    ping_request,
    remove_webhook,
)
from governance.timeutil import utcnow
from portal.deps import CurrentUser, DbSession
from portal.routes.api_common import ERRORS, WebhookId, token_only
from portal.schemas_notices import PingOut, PreferencesIn, PreferencesOut, WebhookIn, WebhookList

router = APIRouter(prefix="/api/v1", tags=["notices"], responses=ERRORS)


def _manager(user: CurrentUser) -> None:
    access.require(access.can_manage(user), "manage webhooks")


@router.get("/webhooks", response_model=WebhookList, summary="Webhook subscriptions (PMs, admins)")
def webhooks(
    session: DbSession, user: CurrentUser, module: str | None = None, vendor: str | None = None
) -> WebhookList:
    _manager(user)
    return WebhookList(items=list_webhooks(session, module=module, vendor=vendor))


@router.post(
    "/webhooks", response_model=WebhookView, status_code=201, summary="Subscribe a URL (secret shown once)"
)
def add(body: WebhookIn, request: Request, session: DbSession, user: CurrentUser) -> WebhookView:
    token_only(request)
    _manager(user)
    hook, secret = add_webhook(
        session,
        url=body.url,
        actor=user.name,
        module=body.module,
        vendor=body.vendor,
        events=body.events,
        secret=body.secret,
    )
    session.commit()
    # The one answer that shows the secret in clear: the subscriber needs it to check signatures.
    return replace(WebhookView.of(session, hook), secret=secret)


@router.delete("/webhooks/{webhook_id}", status_code=204, summary="Stop a subscription")
def remove(webhook_id: WebhookId, request: Request, session: DbSession, user: CurrentUser) -> None:
    token_only(request)
    _manager(user)
    remove_webhook(session, webhook_id=webhook_id, actor=user.name)
    session.commit()


@router.post("/webhooks/{webhook_id}/test", response_model=PingOut, summary="Send a signed ping now")
def test(webhook_id: WebhookId, request: Request, session: DbSession, user: CurrentUser) -> PingOut:
    token_only(request)
    _manager(user)
    ping = ping_request(session, webhook_id=webhook_id, now=utcnow())
    session.commit()  # no transaction stays open while the receiver answers
    attempt = send_now(ping)
    return PingOut(delivered=attempt.ok, status=attempt.status_code, error=attempt.error)


@router.get("/me/notices", response_model=PreferencesOut, summary="My notice settings")
def my_notices(session: DbSession, user: CurrentUser) -> PreferencesOut:
    return PreferencesOut.of(get_preferences(session, user=user))


@router.put("/me/notices", response_model=PreferencesOut, summary="Change my notice settings")
def set_my_notices(
    body: PreferencesIn, request: Request, session: DbSession, user: CurrentUser
) -> PreferencesOut:
    token_only(request)
    prefs = set_preferences(session, user=user, email=body.email, mode=body.mode, events=body.events)
    session.commit()
    return PreferencesOut.of(prefs)
