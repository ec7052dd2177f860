"""Sessions, CSRF and login throttling for the portal.

* Sessions are signed cookies (itsdangerous): ``{"uid": user id or None, "csrf": token}``.
  They carry no secrets and are re-checked against the database on every request (a
  deactivated user is out at once).  The cookie is HttpOnly and SameSite=Lax.
* CSRF is session-bound: every session, even an anonymous one showing the login form, holds
  a random token that each form echoes in ``csrf_token``; logging in rotates it.
* Failed logins are throttled per (username, client address) in an in-memory sliding window.
  It is per process: with several portal processes each keeps its own window, which still
  caps guessing at ``limit × processes`` per window.
"""

from __future__ import annotations

import hmac
import os
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer

from governance.config import Settings

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

    uid: int | None = None
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    fresh: bool = False  # True when the cookie must be (re)written on the response


class SessionCodec:
    """Signs and reads session cookies with one secret."""

    def __init__(self, key: str) -> None:
        self._serializer = URLSafeTimedSerializer(key, salt="govern-session")

    def dumps(self, data: SessionData) -> str:
        return self._serializer.dumps({"uid": data.uid, "csrf": data.csrf})

    def loads(self, raw: str | None) -> SessionData:
        """A valid session, or a fresh anonymous one (tampered or expired cookies count as none)."""
        if not raw:
            return SessionData(fresh=True)
        try:
            value: Any = self._serializer.loads(raw, max_age=SESSION_MAX_AGE)
        except BadSignature:
            return SessionData(fresh=True)
        if not isinstance(value, dict) or not isinstance(value.get("csrf"), str):
            return SessionData(fresh=True)
        uid = value.get("uid")
        return SessionData(uid=uid if isinstance(uid, int) else None, csrf=value["csrf"])


def csrf_matches(expected: str, presented: str | None) -> bool:
    """Constant-time comparison; a missing token never matches."""
    return bool(presented) and hmac.compare_digest(expected.encode(), str(presented).encode())


class LoginThrottle:
    """At most ``limit`` failed logins per (username, address) in a sliding ``window`` of seconds."""

    def __init__(
        self, limit: int = 5, window: float = 900.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock  # injectable, so a test moves time instead of sleeping through the window
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        stamps = self._failures.setdefault(key, deque())
        while stamps and stamps[0] <= now - self.window:
            stamps.popleft()
        return stamps

    def blocked(self, username: str, address: str) -> bool:
        with self._lock:
            key = (username.lower(), address)
            return len(self._recent(key, self._clock())) >= self.limit

    def failed(self, username: str, address: str) -> None:
        with self._lock:
            key = (username.lower(), address)
            now = self._clock()
            self._recent(key, now).append(now)

    def succeeded(self, username: str, address: str) -> None:
        with self._lock:
            self._failures.pop((username.lower(), address), None)
