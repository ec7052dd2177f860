"""`govern sso`: group → role/vendor mappings and re-checks of directory users."""

# Typer maps each parameter to an option, so commands take many of them.
# pylint: disable=too-many-positional-arguments

from __future__ import annotations

from typing import Annotated

import typer

from governance.cli.lang import _
from governance.cli.runtime import JSON_OPTION, actor, emit_json, emit_table, runtime
from governance.sso import mapping as mappings
from governance.sso.ldap import LdapDirectory
from governance.sso.service import recheck_ldap_users

sso_app = typer.Typer(help="One login: LDAP / OpenID Connect group mappings.", no_args_is_help=True)
map_app = typer.Typer(help="Map directory groups to roles and vendors.", no_args_is_help=True)
sso_app.add_typer(map_app, name="map")


@map_app.command("add")
def map_add(
    ctx: typer.Context,
    group: Annotated[str, typer.Argument(help="LDAP group DN, or OIDC group claim value.")],
    role: Annotated[str, typer.Option(help="admin, pm, vendor or auditor.")],
    source: Annotated[str, typer.Option(help="ldap or oidc.")] = "ldap",
    vendor: Annotated[str | None, typer.Option(help="The vendor (vendor role only).")] = None,
    priority: Annotated[int, typer.Option(help="Lower is tried first.")] = mappings.DEFAULT_PRIORITY,
) -> None:
    """Map a directory group to a role (and vendor)."""
    with runtime(ctx).session() as session:
        made = mappings.add_mapping(
            session, source=source, group=group, role=role, vendor=vendor, priority=priority, actor=actor()
        )
        typer.echo(
            _(
                "mapping #%(id)s: %(source)s group %(group)s -> %(role)s",
                id=made.id,
                source=made.source,
                group=made.group_name,
                role=made.role,
            )
        )


@map_app.command("list")
def map_list(ctx: typer.Context, as_json: bool = JSON_OPTION) -> None:
    """Mappings in the order they are tried (per source: priority, then age)."""
    with runtime(ctx).session() as session:
        rows = [
            {
                "id": m.id,
                "source": m.source,
                "priority": m.priority,
                "group": m.group_name,
                "role": m.role,
                "vendor": v.name if v else None,
            }
            for m, v in mappings.list_mappings(session)
        ]
    if as_json:
        emit_json(rows)
    else:
        columns = ["id", "source", "priority", "group", "role", "vendor"]
        emit_table(_("Group mappings"), columns, [[row[c] for c in columns] for row in rows])


@map_app.command("remove")
def map_remove(
    ctx: typer.Context, mapping_id: Annotated[int, typer.Argument(help="The mapping's #.")]
) -> None:
    """Remove a mapping (its users lose access at their next sign-in or re-check)."""
    with runtime(ctx).session() as session:
        removed = mappings.remove_mapping(session, mapping_id=mapping_id, actor=actor())
        typer.echo(
            _(
                "mapping #%(id)s (%(source)s group %(group)s) removed",
                id=mapping_id,
                source=removed.source,
                group=removed.group_name,
            )
        )


@sso_app.command("recheck")
def recheck(ctx: typer.Context, as_json: bool = JSON_OPTION) -> None:
    """Ask the LDAP directory about every active LDAP user; gone or unmapped users lose access now."""
    rt = runtime(ctx)
    directory = LdapDirectory(rt.settings)
    with rt.session() as session:
        results = recheck_ldap_users(session, directory=directory, actor=actor())
    if as_json:
        emit_json([{"user": r.user, "result": r.result} for r in results])
    else:
        emit_table(_("LDAP users re-checked"), ["user", "result"], [(r.user, r.result) for r in results])
