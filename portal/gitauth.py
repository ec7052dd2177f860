"""HTTP Basic authentication for git clients: the password is an API token.

git speaks Basic auth, not cookies or Bearer headers, so the git router authenticates
here; what the user may then do is decided by :mod:`governance.access`, as everywhere.
"""

from __future__ import annotations

import base64
import binascii

from fastapi import HTTPException, Request
from sqlmodel import Session

from governance.registry.models import User
from governance.registry.service import user_for_token

BASIC_REALM = 'Basic realm="Govern", charset="UTF-8"'


def basic_token(request: Request) -> str | None:
    """The password of HTTP Basic credentials (the user name is ignored: the token says who)."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic" or not value:
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    return decoded.partition(":")[2] or None


def basic_user(session: Session, token: str | None) -> User:
    """The user an API token (sent as the Basic password) belongs to; 401 with a challenge otherwise."""
    user = user_for_token(session, token) if token else None
    if user is None:
        raise HTTPException(
            401,
            "authentication required: any user name, an API token as password",
            headers={"WWW-Authenticate": BASIC_REALM},
        )
    return user
