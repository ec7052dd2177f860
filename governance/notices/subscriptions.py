"""Webhook subscriptions of a module or a vendor: add, list, remove, test.

The signing secret is generated here (or given), shown once when the subscription is made,
and masked everywhere after (:func:`WebhookView.of`). Every change is an audit event, in
the transaction of the change; the audit data never holds the secret. Who may manage
subscriptions is decided by the faces with :func:`governance.access.can_manage` (PMs and
admins), as for the other registry records.
"""

from __future__ import annotations

import secrets as tokens
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from governance import audit
from governance.errors import InvalidInput, NotFound, said
from governance.notices.channels import Attempt, Poster, WebhookRequest
from governance.notices.events import EVENTS
from governance.notices.models import Webhook
from governance.registry.models import Module, Vendor
from governance.registry.service import get_module, get_vendor
from governance.registry.validation import redact_url
from governance.webhooks.delivery import body_of, headers_for
from scanners.secretmask import mask_value

PING = "ping"


@dataclass(frozen=True)
class WebhookView:
    """A subscription as every face shows it: the secret masked."""

    id: int
    owner: str  # "module PAY" or "vendor Acme Soft"
    module: str | None
    vendor: str | None
    url: str
    events: tuple[str, ...]
    secret: str
    active: bool

    @classmethod
    def of(cls, session: Session, hook: Webhook) -> WebhookView:
        module = session.get(Module, hook.module_id) if hook.module_id is not None else None
        vendor = session.get(Vendor, hook.vendor_id) if hook.vendor_id is not None else None
        owner = f"module {module.key}" if module else f"vendor {vendor.name if vendor else '?'}"
        return cls(
            id=hook.id or 0,
            owner=owner,
            module=module.key if module else None,
            vendor=vendor.name if vendor else None,
            url=hook.url,
            events=tuple(hook.events),
            secret=mask_value(hook.secret),
            active=hook.active,
        )


def _url(url: str) -> str:
    url = (url or "").strip()
    if not url.startswith(("https://", "http://")) or any(ch.isspace() for ch in url) or len(url) > 500:
        raise said(InvalidInput, "a webhook URL is an http:// or https:// address (at most 500 characters)")
    if redact_url(url) != url:
        raise said(
            InvalidInput, "a webhook URL must not carry credentials: the signature authenticates Govern"
        )
    return url


def _events(events: Sequence[str]) -> list[str]:
    unknown = sorted(set(events) - set(EVENTS))
    if unknown:
        raise said(InvalidInput, "unknown events: %(events)s", events=", ".join(unknown))
    return sorted(set(events))


def _secret(secret: str | None) -> str:
    if secret is None:
        return tokens.token_urlsafe(32)
    if not 16 <= len(secret) <= 200:
        raise said(InvalidInput, "a webhook secret has 16 to 200 characters")
    return secret


def add_webhook(
    session: Session,
    *,
    url: str,
    actor: str,
    module: str | None = None,
    vendor: str | None = None,
    events: Sequence[str] = (),
    secret: str | None = None,
) -> tuple[Webhook, str]:
    """Subscribe ``url`` to the events of a module or of a vendor; returns it and its secret."""
    if (module is None) == (vendor is None):
        raise said(InvalidInput, "a webhook belongs to exactly one module or one vendor")
    hook = Webhook(
        module_id=get_module(session, module).id if module else None,
        vendor_id=get_vendor(session, vendor).id if vendor else None,
        url=_url(url),
        secret=_secret(secret),
        events=_events(events),
        created_by=actor,
    )
    session.add(hook)
    session.flush()
    _audit(session, actor, "webhook.add", hook)
    return hook, hook.secret


def list_webhooks(
    session: Session, *, module: str | None = None, vendor: str | None = None
) -> list[WebhookView]:
    """Every subscription, or those of one module / one vendor (secrets masked)."""
    query = select(Webhook).order_by(col(Webhook.id))
    if module is not None:
        query = query.where(Webhook.module_id == get_module(session, module).id)
    if vendor is not None:
        query = query.where(Webhook.vendor_id == get_vendor(session, vendor).id)
    return [WebhookView.of(session, hook) for hook in session.exec(query).all()]


def get_webhook(session: Session, webhook_id: int) -> Webhook:
    hook = session.get(Webhook, webhook_id)
    if hook is None:
        raise said(NotFound, "unknown webhook #%(id)s", id=webhook_id)
    return hook


def remove_webhook(session: Session, *, webhook_id: int, actor: str) -> None:
    """Deactivate a subscription (kept: its delivery log refers to it)."""
    hook = get_webhook(session, webhook_id)
    hook.active = False
    session.add(hook)
    _audit(session, actor, "webhook.remove", hook)


def ping_request(session: Session, *, webhook_id: int, now: datetime) -> WebhookRequest:
    """A signed ``ping`` for a subscription, to send with no session open (:func:`send_ping`)."""
    hook = get_webhook(session, webhook_id)
    stamp = int(now.timestamp())
    event_id = f"ping-{tokens.token_hex(8)}"
    body = body_of(PING, event_id, stamp, {"webhook": hook.id, "message": "Govern webhook test"})
    return WebhookRequest(
        hook.url, PING, body, headers_for(hook.secret, body, event=PING, event_id=event_id, timestamp=stamp)
    )


def send_ping(poster: Poster, request: WebhookRequest) -> Attempt:
    return poster.send(request)


def _audit(session: Session, actor: str, action: str, hook: Webhook) -> None:
    audit.record(
        session,
        actor=actor,
        action=action,
        target_type="webhook",
        target_id=hook.id or 0,
        data={
            "module_id": hook.module_id,
            "vendor_id": hook.vendor_id,
            "url": hook.url,
            "events": hook.events,
        },
    )
