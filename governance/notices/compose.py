"""A delivery row → the frozen message a channel sends (read in a session, sent without one)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session, select

from governance.notices.channels import Mail, WebhookRequest
from governance.notices.models import Channel, Notice, NoticeDelivery, NoticePreference, Webhook
from governance.notices.texts import language, render, render_digest
from governance.registry.models import User
from governance.webhooks.delivery import body_of, headers_for

Message = Mail | WebhookRequest


def _reader(session: Session, user_id: int | None) -> tuple[User, str] | None:
    """An active user and their address, or None when they can no longer receive mail."""
    user = session.get(User, user_id) if user_id is not None else None
    if user is None or not user.active:
        return None
    pref = session.exec(select(NoticePreference).where(NoticePreference.user_id == user.id)).first()
    return (user, pref.email) if pref is not None and pref.email else None


def compose(
    session: Session, delivery: NoticeDelivery, *, now: datetime, portal_url: str | None
) -> Message | None:
    """The message of a delivery; None when its recipient is gone (deactivated, webhook removed)."""
    notice = session.get(Notice, delivery.notice_id)
    assert notice is not None
    if delivery.channel == Channel.webhook:
        hook = session.get(Webhook, delivery.webhook_id) if delivery.webhook_id is not None else None
        if hook is None or not hook.active:
            return None
        stamp = int(now.timestamp())
        body = body_of(notice.event, notice.event_id, stamp, notice.payload)
        headers = headers_for(
            hook.secret, body, event=notice.event, event_id=notice.event_id, timestamp=stamp
        )
        return WebhookRequest(hook.url, notice.event, body, headers)
    reader = _reader(session, delivery.user_id)
    if reader is None:
        return None
    user, address = reader
    lang = language(user.locale)
    rendered = render(notice.event, notice.payload, lang=lang, name=user.name, portal_url=portal_url)
    return Mail(address, rendered.subject, rendered.text, rendered.html, lang, notice.event_id)


def compose_digest(
    session: Session, user_id: int, notices: Sequence[Notice], *, portal_url: str | None
) -> Mail | None:
    """One e-mail holding every notice a digest reader collected."""
    reader = _reader(session, user_id)
    if reader is None or not notices:
        return None
    user, address = reader
    lang = language(user.locale)
    rendered = render_digest(
        [(n.event, n.payload) for n in notices], lang=lang, name=user.name, portal_url=portal_url
    )
    return Mail(address, rendered.subject, rendered.text, rendered.html, lang, notices[-1].event_id)
