"""The outbox: a notice is written in the caller's transaction, delivered after it commits.

``enqueue(session, event=..., module_id=..., vendor_id=..., payload=...)`` adds one
:class:`~governance.notices.models.Notice` row to the session and returns; nothing leaves the
process here. The row commits or rolls back with the state change it announces, so a
notice is never sent for a change that did not happen, and a change is never lost because
a mail server or webhook was down: the dispatcher (:mod:`governance.notices.dispatch`)
delivers committed rows later, outside any transaction.

Payloads are cleaned on the way in: keys that name credentials are dropped, URLs lose any
user-info, and finding messages of secret rules are masked with Govern's one secret mask.
A notice about a module belongs to that module's vendor (``vendor_id`` is derived, and a
contradicting one refused), so recipients can be chosen by vendor without reading payloads.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping
from typing import Any

from sqlmodel import Session, select

from governance.errors import InvalidInput, said
from governance.notices.events import EVENTS, parse_event
from governance.notices.models import Notice
from governance.registry.models import Module
from governance.registry.validation import redact_url
from scanners.secretmask import mask_message

#: Payload keys never carried by a notice, whatever the caller passes.
_SECRET_KEY = re.compile(r"(secret|token|password|passwd|credential|private[_-]?key|api[_-]?key)", re.I)


def enqueue(
    session: Session,
    *,
    event: str,
    module_id: int | None,
    vendor_id: int | None,
    payload: Mapping[str, Any],
    once: str | None = None,
) -> None:
    """Add a notice of ``event`` to the caller's transaction (no commit, no delivery here).

    ``once``: a key that makes the notice happen at most once (``"waiver.expiring:42"``); a
    second enqueue with the same key adds nothing.
    """
    try:
        name = parse_event(event).value
    except ValueError as exc:
        raise said(
            InvalidInput,
            "unknown notice event %(event)s; known: %(events)s",
            event=repr(event),
            events=", ".join(EVENTS),
        ) from exc
    vendor_id = _owner(session, module_id, vendor_id)
    if once is not None and session.exec(select(Notice.id).where(Notice.once_key == once)).first():
        return
    session.add(
        Notice(
            event_id=str(uuid.uuid4()),
            event=name,
            module_id=module_id,
            vendor_id=vendor_id,
            payload=clean_payload(payload),
            once_key=once,
        )
    )
    session.flush()


def _owner(session: Session, module_id: int | None, vendor_id: int | None) -> int | None:
    """The vendor a notice belongs to: the module's, when there is a module."""
    if module_id is None:
        return vendor_id
    module = session.get(Module, module_id)
    if module is None:
        raise said(InvalidInput, "notice for unknown module #%(module_id)s", module_id=module_id)
    if vendor_id is not None and vendor_id != module.vendor_id:
        raise said(
            InvalidInput,
            "notice for module %(module)s names another vendor (#%(vendor_id)s)",
            module=module.key,
            vendor_id=vendor_id,
        )
    return module.vendor_id


def clean_payload(payload: Mapping[str, Any]) -> dict[str, Any]:
    """A JSON-safe copy of ``payload`` without credentials (see the module's docstring)."""
    plain = json.loads(json.dumps(dict(payload), default=str))
    cleaned = _clean(plain)
    assert isinstance(cleaned, dict)
    return cleaned


def _clean(value: Any) -> Any:
    if isinstance(value, dict):
        return _clean_mapping(value)
    if isinstance(value, list):
        return [_clean(item) for item in value]
    if isinstance(value, str):
        return redact_url(value)
    return value


def _clean_mapping(value: dict[str, Any]) -> dict[str, Any]:
    kept = {str(k): _clean(v) for k, v in value.items() if not _SECRET_KEY.search(str(k))}
    if isinstance(kept.get("rule"), str) and isinstance(kept.get("message"), str):
        masked = mask_message(kept["rule"], kept["message"])
        if masked != kept["message"]:
            # The wording's values hold the unmasked text: the notice shows the masked English.
            kept.pop("message_wording", None)
        kept["message"] = masked
    return kept
