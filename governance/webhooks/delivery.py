"""Deliver scan events to the URLs a module subscribes (``Module.settings["webhooks"]``).

Each subscription: ``{"url": "...", "secret": "...", "events": ["scan.completed", "gate.failed"]}``.
The body is JSON; ``X-Govern-Signature: sha256=<hex HMAC of the body with the secret>``
lets the receiver check it came from Govern. A failed delivery is retried with
exponential backoff; the outcome of each delivery is recorded in the audit trail.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

EVENTS = ("scan.completed", "gate.failed")


def signature(secret: str, body: bytes) -> str:
    """The value of the X-Govern-Signature header for ``body``."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Delivery:
    """The outcome of delivering one event to one URL."""

    url: str
    event: str
    delivered: bool
    attempts: int
    status: int | None
    error: str | None = None


def _subscriptions(settings: Mapping[str, Any], event: str) -> list[Mapping[str, Any]]:
    hooks = settings.get("webhooks") or []
    return [h for h in hooks if event in h.get("events", EVENTS) and h.get("url")]


def _post(client: httpx.Client, url: str, body: bytes, headers: dict[str, str]) -> int:
    return client.post(url, content=body, headers=headers).status_code


def deliver(
    settings: Mapping[str, Any],
    event: str,
    payload: Mapping[str, Any],
    *,
    attempts: int = 4,
    backoff: float = 0.5,
    sleep: Callable[[float], None] = time.sleep,
    client: httpx.Client | None = None,
) -> list[Delivery]:
    """Send ``event`` to every subscribed URL; retry 5xx and network errors with backoff."""
    body = json.dumps({"event": event, **payload}, sort_keys=True, default=str).encode()
    own = client or httpx.Client(timeout=10.0)
    try:
        return [
            _deliver_one(own, hook, event, body, attempts, backoff, sleep)
            for hook in _subscriptions(settings, event)
        ]
    finally:
        if client is None:
            own.close()


def _deliver_one(
    client: httpx.Client,
    hook: Mapping[str, Any],
    event: str,
    body: bytes,
    attempts: int,
    backoff: float,
    sleep: Callable[[float], None],
) -> Delivery:
    headers = {
        "Content-Type": "application/json",
        "X-Govern-Event": event,
        "X-Govern-Signature": signature(str(hook.get("secret", "")), body),
    }
    status: int | None = None
    error: str | None = None
    for attempt in range(1, attempts + 1):
        try:
            status = _post(client, hook["url"], body, headers)
            error = None
            if status < 500:
                return Delivery(hook["url"], event, 200 <= status < 300, attempt, status)
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"
        if attempt < attempts:
            sleep(backoff * 2 ** (attempt - 1))
    return Delivery(hook["url"], event, False, attempts, status, error)


def events_for(gate_passed: bool | None) -> Sequence[str]:
    """Which events a completed scan raises."""
    return ("scan.completed",) if gate_passed is not False else ("scan.completed", "gate.failed")
