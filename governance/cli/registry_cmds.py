"""`govern vendor|module|user|token`: thin wrappers over the registry services."""

# Typer maps each parameter to an option, so commands take many of them.
# pylint: disable=too-many-positional-arguments

from __future__ import annotations

from typing import Annotated

import typer

from governance.cli.lang import _
from governance.cli.runtime import JSON_OPTION, actor, emit_json, emit_table, runtime
from governance.registry import accounts, service, tokens
from governance.registry.validation import redact_url

vendor_app = typer.Typer(help="Register and list vendors.", no_args_is_help=True)
module_app = typer.Typer(help="Register, list and schedule application modules.", no_args_is_help=True)
user_app = typer.Typer(help="Register and list users.", no_args_is_help=True)
token_app = typer.Typer(help="Create, list and revoke API tokens.", no_args_is_help=True)


@vendor_app.command("add")
def vendor_add(
    ctx: typer.Context,
    name: str,
    contact: Annotated[str | None, typer.Option(help="Contact person or address.")] = None,
) -> None:
    """Register a vendor."""
    with runtime(ctx).session() as session:
        vendor = service.create_vendor(session, name=name, contact=contact, actor=actor())
    typer.echo(_("vendor %(name)s registered", name=vendor.name))


@vendor_app.command("list")
def vendor_list(ctx: typer.Context, as_json: bool = JSON_OPTION) -> None:
    """List vendors with their module counts."""
    with runtime(ctx).session() as session:
        rows = service.list_vendors(session)
    if as_json:
        emit_json([{"name": v.name, "contact": v.contact, "modules": n} for v, n in rows])
    else:
        emit_table(_("Vendors"), ["name", "contact", "modules"], [(v.name, v.contact, n) for v, n in rows])


@module_app.command("add")
def module_add(
    ctx: typer.Context,
    key: str,
    vendor: Annotated[str, typer.Option(help="The vendor that delivers the module.")],
    remote: Annotated[str | None, typer.Option(help="Vendor remote to mirror; omit for pushes.")] = None,
    branch: Annotated[str, typer.Option(help="Default branch.")] = "main",
    schedule: Annotated[str | None, typer.Option(help="Cron expression for scheduled scans.")] = None,
    name: Annotated[str, typer.Option(help="Human name of the module.")] = "",
    profile: Annotated[str, typer.Option(help="Standards profile.")] = "default",
) -> None:
    """Register an application module."""
    with runtime(ctx).session() as session:
        module = service.create_module(
            session,
            key=key,
            vendor=vendor,
            remote=remote,
            branch=branch,
            schedule=schedule,
            name=name,
            profile=profile,
            actor=actor(),
        )
    typer.echo(_("module %(key)s registered", key=module.key))


@module_app.command("list")
def module_list(ctx: typer.Context, as_json: bool = JSON_OPTION) -> None:
    """List modules with their vendor, source and lines under governance."""
    with runtime(ctx).session() as session:
        rows = service.list_modules(session)
    records = [
        {
            "key": m.key,
            "name": m.name,
            "vendor": v.name,
            "remote": redact_url(m.remote) if m.remote else "(vendor push)",
            "branch": m.default_branch,
            "schedule": m.schedule,
            "profile": m.profile,
            "lines_of_code": m.lines_of_code,
            "languages": m.languages,
            "last_sync": m.last_sync_status,
        }
        for m, v in rows
    ]
    if as_json:
        emit_json(records)
        return
    columns = ["key", "vendor", "remote", "branch", "schedule", "lines_of_code", "last_sync"]
    emit_table(_("Modules"), columns, [[r[c] for c in columns] for r in records])


@module_app.command("schedule")
def module_schedule(
    ctx: typer.Context,
    key: str,
    cron: Annotated[str, typer.Argument(help="Cron expression, or '' to clear.")],
) -> None:
    """Set (or clear) a module's scan schedule."""
    with runtime(ctx).session() as session:
        module = service.set_schedule(session, key=key, schedule=cron, actor=actor())
    typer.echo(
        _("module %(key)s schedule: %(schedule)s", key=module.key, schedule=module.schedule or _("none"))
    )


@user_app.command("add")
def user_add(
    ctx: typer.Context,
    name: str,
    role: Annotated[str, typer.Option(help="admin, pm, vendor or auditor.")],
    vendor: Annotated[str | None, typer.Option(help="Required for vendor users.")] = None,
    password: Annotated[bool, typer.Option("--password", help="Prompt for a login password.")] = False,
) -> None:
    """Register a user."""
    secret = typer.prompt("Password", hide_input=True, confirmation_prompt=True) if password else None
    with runtime(ctx).session() as session:
        user = service.create_user(
            session, name=name, role=role, vendor=vendor, password=secret, actor=actor()
        )
    typer.echo(_("user %(name)s registered as %(role)s", name=user.name, role=user.role.value))


@user_app.command("password")
def user_password(ctx: typer.Context, name: str) -> None:
    """Set a user's login password (prompted); every session of the user ends."""
    secret = typer.prompt(_("New password"), hide_input=True, confirmation_prompt=True)
    with runtime(ctx).session() as session:
        accounts.set_password(session, name=name, password=secret, actor=actor())
    typer.echo(_("user %(name)s: password changed, sessions ended", name=name))


@user_app.command("deactivate")
def user_deactivate(ctx: typer.Context, name: str) -> None:
    """Deactivate a user: logins, tokens and every open session stop working."""
    with runtime(ctx).session() as session:
        accounts.set_active(session, name=name, active=False, actor=actor())
    typer.echo(_("user %(name)s deactivated, sessions ended", name=name))


@user_app.command("activate")
def user_activate(ctx: typer.Context, name: str) -> None:
    """Reactivate a user (who must log in again)."""
    with runtime(ctx).session() as session:
        accounts.set_active(session, name=name, active=True, actor=actor())
    typer.echo(_("user %(name)s activated", name=name))


@user_app.command("list")
def user_list(ctx: typer.Context, as_json: bool = JSON_OPTION) -> None:
    """List users and their roles."""
    with runtime(ctx).session() as session:
        users = service.list_users(session)
        records = [
            {"name": u.name, "role": u.role.value, "vendor_id": u.vendor_id, "active": u.active}
            for u in users
        ]
    if as_json:
        emit_json(records)
    else:
        emit_table(_("Users"), ["name", "role", "vendor_id", "active"], [list(r.values()) for r in records])


@token_app.command("create")
def token_create(
    ctx: typer.Context,
    user: str,
    label: Annotated[str | None, typer.Option(help="What the token is for.")] = None,
    expires: Annotated[str | None, typer.Option(help="Last valid day, YYYY-MM-DD.")] = None,
) -> None:
    """Create an API token; it is printed once, alone, and stored only as a hash."""
    with runtime(ctx).session() as session:
        token = service.create_token(
            session, user=user, label=label, actor=actor(), expires_at=tokens.parse_expiry(expires)
        )
    typer.echo(token)
