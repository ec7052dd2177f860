"""Signed webhook requests: the one definition of how Govern signs and how a receiver checks.

The body is JSON carrying the event, its id and timestamp and the payload. Headers:

* ``X-Govern-Signature: sha256=<hex HMAC-SHA256 of the body with the subscription's secret>``
* ``X-Govern-Event``, ``X-Govern-Event-Id`` (unique per notice; the same on every retry, so a
  receiver drops duplicates) and ``X-Govern-Timestamp`` (Unix seconds of this attempt).

The id and the timestamp are also inside the signed body, so a receiver that compares them
with the headers and refuses old timestamps is safe from replays. Retrying, backoff and the
delivery log belong to the notice dispatcher (:mod:`governance.notices.dispatch`): one
:func:`post` is one attempt.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # httpx is imported by the sending, not whenever `govern` starts
    import httpx

SIGNATURE = "X-Govern-Signature"
EVENT = "X-Govern-Event"
EVENT_ID = "X-Govern-Event-Id"
TIMESTAMP = "X-Govern-Timestamp"


def signature(secret: str, body: bytes) -> str:
    """The value of the X-Govern-Signature header for ``body``."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def body_of(event: str, event_id: str, timestamp: int, payload: Mapping[str, Any]) -> bytes:
    """The JSON body of one attempt (sorted keys: the same notice always reads the same)."""
    document = {"event": event, "id": event_id, "timestamp": timestamp, "data": dict(payload)}
    return json.dumps(document, sort_keys=True, ensure_ascii=False, default=str).encode()


def headers_for(secret: str, body: bytes, *, event: str, event_id: str, timestamp: int) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": "Govern-Webhook",
        EVENT: event,
        EVENT_ID: event_id,
        TIMESTAMP: str(timestamp),
        SIGNATURE: signature(secret, body),
    }


def verify(secret: str, body: bytes, headers: Mapping[str, str], *, now: int, tolerance: int = 300) -> bool:
    """A receiver's check: signature matches, the signed id/timestamp match the headers and are fresh."""
    given = headers.get(SIGNATURE) or headers.get(SIGNATURE.lower()) or ""
    if not hmac.compare_digest(given, signature(secret, body)):
        return False
    try:
        document = json.loads(body)
        stamp = int(headers.get(TIMESTAMP) or headers.get(TIMESTAMP.lower()) or "")
    except ValueError:
        return False
    event_id = headers.get(EVENT_ID) or headers.get(EVENT_ID.lower())
    return bool(
        document.get("id") == event_id
        and document.get("timestamp") == stamp
        and abs(now - stamp) <= tolerance
    )


@dataclass(frozen=True)
class Delivery:
    """The outcome of one attempt to one URL."""

    url: str
    event: str
    delivered: bool
    status: int | None
    error: str | None = None


def post(client: httpx.Client, url: str, body: bytes, headers: Mapping[str, str], event: str) -> Delivery:
    """One attempt: 2xx is delivered; anything else (or a network error) is a failed attempt."""
    import httpx

    try:
        status = client.post(url, content=body, headers=dict(headers)).status_code
    except httpx.HTTPError as exc:
        return Delivery(url, event, False, None, f"{type(exc).__name__}: {exc}"[:500])
    error = None if 200 <= status < 300 else f"HTTP {status}"
    return Delivery(url, event, error is None, status, error)
