"""``/api/v1/tokens``: a caller's own API tokens (an admin's: anyone's). Create, list, revoke.

Thin: the rule (own tokens, or an admin) lives in :mod:`governance.registry.tokens`, shared
with the "My account" page and the CLI. Writes need a Bearer token, as every API write does.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from governance.errors import PermissionDenied, said
from governance.registry import tokens
from portal.deps import CurrentUser, DbSession
from portal.routes.api_common import ERRORS, MAX_ID
from portal.schemas_selfservice import TokenCreated, TokenIn, TokenOut

router = APIRouter(prefix="/api/v1/tokens", tags=["tokens"], responses=ERRORS)
TokenId = Annotated[int, Path(ge=1, le=MAX_ID, description="Token id")]


def token_only(request: Request) -> None:
    """API writes authenticate with a Bearer token (a cookie could be ridden by another site)."""
    if not getattr(request.state, "via_token", False):
        raise said(PermissionDenied, "API writes need a Bearer token")


@router.get("", response_model=list[TokenOut], summary="My API tokens (admins: ?user=NAME or ?all=true)")
def list_tokens(
    session: DbSession,
    user: CurrentUser,
    owner: Annotated[str | None, Query(alias="user", max_length=120)] = None,
    everyone: Annotated[bool, Query(alias="all")] = False,
) -> list[TokenOut]:
    """Newest first, without secrets: label, prefix, created, last used, expiry, state."""
    rows = tokens.list_tokens(session, viewer=user, owner=owner, everyone=everyone)
    return [TokenOut.of(row) for row in rows]


@router.post("", response_model=TokenCreated, status_code=201, summary="Create an API token (shown once)")
def create_token(body: TokenIn, request: Request, session: DbSession, user: CurrentUser) -> TokenCreated:
    token_only(request)
    expires_at = tokens.parse_expiry(body.expires)
    plain = tokens.issue(session, viewer=user, label=body.label, expires_at=expires_at, owner=body.user)
    session.commit()
    return TokenCreated(token=plain, user=body.user or user.name, label=body.label, expires_at=expires_at)


@router.delete("/{token_id}", response_model=TokenOut, summary="Revoke an API token (own, or any for admins)")
def revoke_token(token_id: TokenId, request: Request, session: DbSession, user: CurrentUser) -> TokenOut:
    token_only(request)
    view = tokens.revoke(session, viewer=user, token_id=token_id)
    session.commit()
    return TokenOut.of(view)
