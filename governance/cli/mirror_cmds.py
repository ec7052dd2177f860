"""`govern mirror sync|status`: thin wrappers over the mirror service."""

from __future__ import annotations

from typing import Annotated

import typer

from governance.cli import lang
from governance.cli.lang import _
from governance.cli.runtime import JSON_OPTION, Runtime, actor, emit_json, emit_table, runtime
from governance.errors import GovernError, InvalidInput, said
from governance.mirrors.service import SyncOutcome, sync_module
from governance.registry import service as registry
from governance.registry.validation import redact_url
from governance.timeutil import as_utc
from scanners.wording import worded

mirror_app = typer.Typer(help="Mirror vendor repositories and ingest their commits.", no_args_is_help=True)


@mirror_app.command("sync")
def mirror_sync(
    ctx: typer.Context,
    key: Annotated[str | None, typer.Argument(help="Module key; omit with --all.")] = None,
    all_modules: Annotated[bool, typer.Option("--all", help="Sync every module.")] = False,
) -> None:
    """Fetch the vendor remote into the module's mirror, archive rewritten refs, ingest new commits."""
    rt = runtime(ctx)
    if (key is None) == (not all_modules):
        raise said(InvalidInput, "name one module KEY or use --all")
    if key is not None:
        with rt.session() as session:
            outcome = sync_module(session, settings=rt.settings, key=key, actor=actor())
        typer.echo(_outcome_line(outcome))
        outcome.raise_for_error()
        return
    with rt.session() as session:
        keys = [module.key for module, _count in registry.list_modules(session)]
    outcomes = [_sync_one(rt, module_key) for module_key in keys]
    if not all(outcome.ok for outcome in outcomes):
        raise typer.Exit(2)


def _sync_one(rt: Runtime, key: str) -> SyncOutcome:
    """One module in its own transaction, so one failure never undoes another module's sync."""
    try:
        with rt.session() as session:
            outcome = sync_module(session, settings=rt.settings, key=key, actor=actor())
    except GovernError as error:
        outcome = SyncOutcome(key, error=error)
    typer.echo(_outcome_line(outcome))
    return outcome


def _outcome_line(outcome: SyncOutcome) -> str:
    """The sync's result line in the CLI's language (a failure without a wording stays as raised)."""
    wording = outcome.error.wording if outcome.error else outcome.wording()
    if wording is None:
        return outcome.summary()
    if outcome.error:
        return lang.shown(worded("%(module)s: FAILED: %(reason)s", module=outcome.key, reason=wording))
    return lang.shown(wording)


@mirror_app.command("status")
def mirror_status(ctx: typer.Context, as_json: bool = JSON_OPTION) -> None:
    """Each module's last sync: when, outcome and message."""
    with runtime(ctx).session() as session:
        rows = registry.list_modules(session)
    records = [
        {
            "key": m.key,
            "remote": redact_url(m.remote) if m.remote else "(vendor push)",
            "last_sync_at": as_utc(m.last_sync_at).isoformat() if m.last_sync_at else None,
            "status": m.last_sync_status,
            "message": m.last_sync_message,
            "lines_of_code": m.lines_of_code,
        }
        for m, _count in rows
    ]
    if as_json:
        emit_json(records)
        return
    columns = ["key", "remote", "last_sync_at", "status", "message"]
    emit_table(_("Mirrors"), columns, [[r[c] for c in columns] for r in records])
