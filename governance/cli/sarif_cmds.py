"""`govern sarif import|list`: a vendor's own tool results (SARIF 2.1.0) for one commit."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from sqlmodel import Session

from governance import access
from governance.cli.evidence_cmds import read_file
from governance.cli.lang import _
from governance.cli.runtime import JSON_OPTION, actor, emit_json, emit_table, runtime
from governance.evidence import sarif_import
from governance.registry.models import Module
from governance.registry.service import get_module, get_user

sarif_app = typer.Typer(help="Import SARIF 2.1.0 results of a vendor's own tools.", no_args_is_help=True)

ModuleOption = Annotated[str, typer.Option("--module", help="Module key, e.g. BUD.")]
AsOption = Annotated[
    str | None, typer.Option("--as", help="Act as this registered user (scope and audit) [env GOVERN_USER].")
]


def _module(session: Session, key: str, who: str | None) -> tuple[Module, str]:
    """The module and the acting name: a named user is held to its scope (a vendor: its own modules)."""
    name = who or os.environ.get("GOVERN_USER")
    if not name:
        return get_module(session, key), actor()
    user = get_user(session, name)
    module = access.readable_module(session, user, key)
    access.require(access.can_submit_evidence(user, module), f"import SARIF for {key}")
    return module, user.name


@sarif_app.command("import")
def import_cmd(
    ctx: typer.Context,
    file: Path,
    module: ModuleOption,
    commit: Annotated[str, typer.Option("--commit", help="Full id of the commit the results describe.")],
    who: AsOption = None,
) -> None:
    """Validate and import a SARIF file; its results become findings of the commit's scan."""
    data = read_file(file, sarif_import.MAX_SARIF_BYTES)
    rt = runtime(ctx)
    with rt.session() as session:
        target, name = _module(session, module, who)
        done = sarif_import.import_sarif(
            session,
            settings=rt.settings,
            module=target,
            commit_sha=commit,
            filename=file.name,
            data=data,
            actor=name,
        )
    row = done.row
    typer.echo(
        _(
            "SARIF #%(id)s: %(count)s results of %(tools)s for %(module)s @ %(commit)s",
            id=row.id,
            count=len(row.results),
            tools=", ".join(row.tools) or _("no tool"),
            module=module,
            commit=row.commit_sha[:12],
        )
    )
    if done.rescan is not None:
        typer.echo(
            _(
                "scan #%(id)s queued for that commit (run `govern scheduler --once` or wait for it)",
                id=done.rescan,
            )
        )
    else:
        typer.echo(
            _(
                "they count from the next scan of that commit (`govern scan %(module)s --commit %(commit)s`)",
                module=module,
                commit=row.commit_sha,
            )
        )


@sarif_app.command("list")
def list_cmd(
    ctx: typer.Context, module: ModuleOption, who: AsOption = None, as_json: bool = JSON_OPTION
) -> None:
    """The module's SARIF imports, newest first."""
    with runtime(ctx).session() as session:
        target, _reader = _module(session, module, who) if who else (get_module(session, module), "")
        items = [
            {
                "id": r.id,
                "commit": r.commit_sha,
                "tools": ", ".join(r.tools),
                "results": len(r.results),
                "file": r.filename,
                "sha256": r.sha256,
                "uploaded_by": r.uploaded_by,
                "uploaded_at": r.uploaded_at,
            }
            for r in sarif_import.list_imports(session, module=target)
        ]
    if as_json:
        emit_json(items)
        return
    columns = ["id", "commit", "tools", "results", "file", "uploaded_by"]
    emit_table(
        _("SARIF imports of %(module)s", module=module),
        columns,
        [[str(i[c])[:40] for c in columns] for i in items],
    )
