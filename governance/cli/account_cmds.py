"""`govern token list|revoke`, `govern user set|reset-password`, `govern module pushes`.

Thin wrappers over the same services as the portal and the API: :mod:`governance.registry.tokens`,
:mod:`governance.registry.accounts` and :mod:`governance.mirrors.push_log`. The operator at
the terminal acts as ``GOVERN_ACTOR``; the push log can be read as a registered user
(``--as NAME``) to see exactly what that user sees.
"""

# Typer maps each parameter to an option, so commands take many of them.
# pylint: disable=too-many-positional-arguments

from __future__ import annotations

import os
from dataclasses import asdict
from typing import Annotated

import typer
from sqlmodel import Session

from governance.cli.lang import _
from governance.cli.runtime import JSON_OPTION, actor, emit_json, emit_table, runtime
from governance.mirrors import push_log
from governance.registry import accounts, service, tokens
from governance.registry.models import Role, User, Vendor


def token_list(
    ctx: typer.Context,
    user: Annotated[str | None, typer.Option(help="Only this user's tokens.")] = None,
    as_json: bool = JSON_OPTION,
) -> None:
    """List API tokens (never their secret): owner, label, created, last used, expiry, state."""
    with runtime(ctx).session() as session:
        rows = tokens.operator_tokens(session, owner=user)
    records = [{**asdict(row), "user": row.owner} for row in rows]
    for record in records:
        record.pop("owner")
    if as_json:
        emit_json(records)
        return
    columns = ["id", "user", "prefix", "label", "state", "created_at", "last_used_at", "expires_at"]
    emit_table(_("API tokens"), columns, [[r[c] for c in columns] for r in records])


def token_revoke(
    ctx: typer.Context, token_id: Annotated[int, typer.Argument(help="Token id (token list).")]
) -> None:
    """Revoke an API token: every request made with it is refused (401) from now on."""
    with runtime(ctx).session() as session:
        row = tokens.revoke_any(session, token_id=token_id, actor=actor())
        prefix = row.prefix
    typer.echo(_("API token #%(id)s (%(prefix)s…) revoked", id=token_id, prefix=prefix))


def user_set(
    ctx: typer.Context,
    name: str,
    role: Annotated[str | None, typer.Option(help="admin, pm, vendor or auditor.")] = None,
    vendor: Annotated[str | None, typer.Option(help="The vendor of a vendor user ('' to clear).")] = None,
    locale: Annotated[str | None, typer.Option(help="en or zh_CN ('' for the browser's).")] = None,
) -> None:
    """Change a user's role, vendor or language (options left out keep their value)."""
    with runtime(ctx).session() as session:
        user = service.get_user(session, name)
        changed = accounts.update_user(
            session,
            name=name,
            role=role or user.role.value,
            vendor=_vendor_name(session, user) if vendor is None else (vendor or None),
            locale=user.locale if locale is None else (locale or None),
            actor=actor(),
        )
        summary = _(
            "user %(name)s: %(role)s, language %(language)s",
            name=changed.name,
            role=changed.role.value,
            language=changed.locale or _("browser"),
        )
    typer.echo(summary)


def _vendor_name(session: Session, user: User) -> str | None:
    if user.role != Role.vendor or user.vendor_id is None:
        return None
    vendor = session.get(Vendor, user.vendor_id)
    return vendor.name if vendor else None


def user_reset_password(ctx: typer.Context, name: str) -> None:
    """Give a user a new random password (printed once) and end their sessions."""
    with runtime(ctx).session() as session:
        password = accounts.reset_password(session, name=name, actor=actor())
    typer.echo(password)


def module_pushes(
    ctx: typer.Context,
    key: str,
    as_user: Annotated[str | None, typer.Option("--as", help="Read as this user [env GOVERN_USER].")] = None,
    outcome: Annotated[str | None, typer.Option(help="accepted or refused.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=500)] = 50,
    as_json: bool = JSON_OPTION,
) -> None:
    """A module's push log, newest first: who pushed what, accepted or refused by which rule."""
    with runtime(ctx).session() as session:
        reader = _reader(session, as_user or os.environ.get("GOVERN_USER"))
        page = push_log.list_pushes(session, user=reader, key=key, outcome=outcome, limit=limit)
    if as_json:
        emit_json([asdict(item) for item in page.items])
        return
    rows = [
        [p.id, p.pushed_at, p.pusher, p.outcome, " ".join(u["ref"] for u in p.updates), ", ".join(p.rules)]
        for p in page.items
    ]
    emit_table(
        _("Pushes of %(module)s (%(total)s)", module=key, total=page.total),
        ["id", "at", "pusher", "outcome", "refs", "rules"],
        rows,
    )


def _reader(session: Session, name: str | None) -> User:
    """The registered user to read as; the operator without ``--as`` reads as an auditor would."""
    if name:
        return service.get_user(session, name)
    return User(name=actor(), role=Role.auditor, active=True)
