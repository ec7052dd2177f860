"""Sessions, CSRF and login throttling for the portal.

* Sessions live on the server (:mod:`governance.auth.sessions`); the signed cookie
  (itsdangerous) carries ``{"sid": session token or None, "csrf": token}``. Every request
  looks the session up, so logout, a password change or deactivation end it at once. The
  cookie is HttpOnly and SameSite=Lax, and Secure with ``GOVERN_SECURE_COOKIES``.
* CSRF is session-bound: every session, even an anonymous one showing the login form, holds
  a random token that each form echoes in ``csrf_token``; logging in rotates it.
* Login attempts are limited per account and per client address in the database
  (:mod:`governance.auth.throttle`), shared by every portal process; the client address
  comes from ``X-Forwarded-For`` only when the peer is in ``GOVERN_TRUSTED_PROXIES``.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request

from governance.config import IPNetwork, Settings

COOKIE_NAME = "govern_session"
SESSION_MAX_AGE = 12 * 3600


def secret_key(settings: Settings) -> str:
    """``GOVERN_SECRET_KEY``, or a key generated once and kept in ``<data_dir>/secret_key`` (0600)."""
    if settings.secret_key:
        return settings.secret_key
    path = settings.data_dir / "secret_key"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    return _create_key(path)


def _create_key(path: Path) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process won the race: use its key
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key)
    return key


@dataclass
class SessionData:
    """What the cookie holds: who is logged in (if anyone) and the CSRF token."""

    sid: str | None = None
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    fresh: bool = False  # True when the cookie must be (re)written on the response


class SessionCodec:
    """Signs and reads session cookies with one secret."""

    def __init__(self, key: str, max_age: int = SESSION_MAX_AGE) -> None:
        self._serializer = URLSafeTimedSerializer(key, salt="govern-session")
        self.max_age = max_age

    def dumps(self, data: SessionData) -> str:
        return self._serializer.dumps({"sid": data.sid, "csrf": data.csrf})

    def loads(self, raw: str | None) -> SessionData:
        """A valid session, or a fresh anonymous one (tampered or expired cookies count as none)."""
        if not raw:
            return SessionData(fresh=True)
        try:
            value: Any = self._serializer.loads(raw, max_age=self.max_age)
        except BadSignature:
            return SessionData(fresh=True)
        if not isinstance(value, dict) or not isinstance(value.get("csrf"), str):
            return SessionData(fresh=True)
        sid = value.get("sid")
        return SessionData(sid=sid if isinstance(sid, str) else None, csrf=value["csrf"])


def csrf_matches(expected: str, presented: str | None) -> bool:
    """Constant-time comparison; a missing token never matches."""
    return bool(presented) and hmac.compare_digest(expected.encode(), str(presented).encode())


def client_address(request: Request, *, trusted: Sequence[IPNetwork]) -> str:
    """The client's address: the peer's, unless the peer is a trusted proxy.

    Behind trusted proxies the ``X-Forwarded-For`` chain is read from the right (each proxy
    appends what it saw), skipping trusted hops; the first untrusted hop is the client.
    Anything a client itself wrote further left is never believed.
    """
    peer = request.client.host if request.client else "unknown"
    if not _trusted(peer, trusted):
        return peer
    hops = [hop.strip() for hop in request.headers.get("x-forwarded-for", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        if _address(hop) is None:
            return peer  # a malformed chain: fall back to the proxy itself
        if not _trusted(hop, trusted):
            return hop
    return hops[0] if hops else peer


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _trusted(text: str, trusted: Sequence[IPNetwork]) -> bool:
    address = _address(text)
    return address is not None and any(address in network for network in trusted)
