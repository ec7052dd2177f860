"""API tokens as their owners (and admins) see them: issue, list, revoke.

Every face (portal's "My account" page, the API, the CLI) goes through here. The rule is one
check in :mod:`governance.access`: a user manages their own tokens, an admin anyone's. A
token that is not the viewer's to manage is the same ``NotFound`` as one that does not exist,
so ids reveal nothing. Tokens are stored hashed (:mod:`governance.registry.service`); the
plaintext is returned once, at creation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlmodel import Session, col, select

from governance import access, audit
from governance.errors import Conflict, InvalidInput, NotFound, said
from governance.modeltypes import row_id
from governance.registry import service
from governance.registry.models import ApiToken, Role, User
from governance.timeutil import as_utc, utcnow


@dataclass(frozen=True)
class TokenView:
    """One token without its secret: what lists show."""

    id: int
    owner: str
    prefix: str
    label: str | None
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None
    state: str  # active | expired | revoked

    @classmethod
    def of(cls, row: ApiToken, owner: str, *, now: datetime) -> TokenView:
        state = "active"
        if row.revoked_at is not None:
            state = "revoked"
        elif not service.token_usable(row, now=now):
            state = "expired"
        return cls(
            id=row_id(row),
            owner=owner,
            prefix=row.prefix,
            label=row.label,
            created_at=as_utc(row.created_at),
            last_used_at=as_utc(row.last_used_at) if row.last_used_at else None,
            expires_at=as_utc(row.expires_at) if row.expires_at else None,
            revoked_at=as_utc(row.revoked_at) if row.revoked_at else None,
            state=state,
        )


def _owner(session: Session, viewer: User, name: str | None) -> User:
    """The account whose tokens are meant: the viewer's own unless an admin names another."""
    if name is None or name == viewer.name:
        return viewer
    if viewer.role != Role.admin or not viewer.active:
        raise said(NotFound, "unknown user '%(name)s'", name=name)
    return service.get_user(session, name)


def issue(
    session: Session,
    *,
    viewer: User,
    label: str | None,
    expires_at: datetime | None = None,
    owner: str | None = None,
) -> str:
    """A new token for the viewer (or, for an admin, for ``owner``); the plaintext, shown once."""
    account = _owner(session, viewer, owner)
    access.require(access.can_manage_tokens_of(viewer, row_id(account)), "create API tokens")
    return service.create_token(
        session, user=account.name, actor=viewer.name, label=label, expires_at=expires_at
    )


def list_tokens(
    session: Session, *, viewer: User, owner: str | None = None, everyone: bool = False
) -> list[TokenView]:
    """The viewer's tokens, newest first; an admin may ask for one user's or ``everyone``'s."""
    if everyone:
        access.require(access.can_admin(viewer), "list every user's API tokens")
        return operator_tokens(session)
    account = _owner(session, viewer, owner)
    access.require(access.can_manage_tokens_of(viewer, row_id(account)), "list API tokens")
    return operator_tokens(session, owner=account.name)


def operator_tokens(session: Session, *, owner: str | None = None) -> list[TokenView]:
    """Every token (or one user's), for the operator's CLI and for the checked lists above."""
    query = select(ApiToken, User).join(User, col(User.id) == col(ApiToken.user_id))
    if owner is not None:
        query = query.where(ApiToken.user_id == row_id(service.get_user(session, owner)))
    now = utcnow()
    rows = session.exec(query.order_by(col(ApiToken.created_at).desc(), col(ApiToken.id).desc())).all()
    return [TokenView.of(token, user.name, now=now) for token, user in rows]


def revoke(session: Session, *, viewer: User, token_id: int) -> TokenView:
    """Revoke a token the viewer may manage; any other id is the same 404 as an unknown one."""
    row = session.get(ApiToken, token_id)
    if row is None or not access.can_manage_tokens_of(viewer, row.user_id):
        raise said(NotFound, "unknown API token #%(id)s", id=token_id)
    owner = session.get(User, row.user_id)
    revoke_any(session, token_id=token_id, actor=viewer.name)
    return TokenView.of(row, owner.name if owner else "", now=utcnow())


def revoke_any(session: Session, *, token_id: int, actor: str) -> ApiToken:
    """Revoke one token at once (every face that authenticates with it gets 401 from now on)."""
    row = session.get(ApiToken, token_id)
    if row is None:
        raise said(NotFound, "unknown API token #%(token_id)s", token_id=token_id)
    if row.revoked_at is not None:
        raise said(Conflict, "API token #%(token_id)s is already revoked", token_id=token_id)
    owner = session.get(User, row.user_id)
    row.revoked_at = utcnow()
    session.add(row)
    audit.record(
        session,
        actor=actor,
        action="token.revoke",
        target_type="user",
        target_id=owner.name if owner else str(row.user_id),
        data={"id": token_id, "prefix": row.prefix, "label": row.label},
    )
    return row


def parse_expiry(text: str | None) -> datetime | None:
    """``YYYY-MM-DD`` (the end of that day, UTC) or nothing; the same parsing for form, API and CLI."""
    if text is None or not text.strip():
        return None
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise said(InvalidInput, "invalid expiry date '%(text)s': use YYYY-MM-DD", text=text) from None
    return datetime.combine(day, time(23, 59, 59), tzinfo=UTC)
