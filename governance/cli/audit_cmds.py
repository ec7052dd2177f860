"""`govern audit log|verify|head`: read and check the hash-chained trail."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer

from governance import audit
from governance.audit.checkpoints import check_checkpoints, write_checkpoint
from governance.audit.service import events
from governance.audit.verifications import record_verification
from governance.cli.lang import _
from governance.cli.runtime import JSON_OPTION, actor, emit_json, emit_table, runtime
from governance.errors import InvalidInput, said
from governance.timeutil import as_utc

audit_app = typer.Typer(help="Read and verify the tamper-evident audit trail.", no_args_is_help=True)


def _since(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return as_utc(datetime.fromisoformat(value))
    except ValueError:
        raise said(
            InvalidInput, "invalid --since %(value)s: use an ISO date such as 2026-01-31", value=repr(value)
        ) from None


@audit_app.command("log")
def audit_log(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option(help="Only events from this ISO date/time on.")] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="At most this many events.")] = None,
    as_json: bool = JSON_OPTION,
) -> None:
    """List audit events, oldest first."""
    with runtime(ctx).session() as session:
        rows = events(session, since=_since(since), limit=limit)
    records = [
        {
            "seq": e.seq,
            "at": as_utc(e.at).isoformat(),
            "actor": e.actor,
            "action": e.action,
            "target": f"{e.target_type}:{e.target_id}",
            "data": e.data,
            "hash": e.hash,
        }
        for e in rows
    ]
    if as_json:
        emit_json(records)
    else:
        emit_table(
            _("Audit trail"),
            ["seq", "at", "actor", "action", "target"],
            [[r["seq"], r["at"], r["actor"], r["action"], r["target"]] for r in records],
        )


@audit_app.command("head")
def audit_head(ctx: typer.Context, as_json: bool = JSON_OPTION) -> None:
    """Print the head hash and event count: keep them outside Govern."""
    with runtime(ctx).session() as session:
        current = audit.head(session)
    if as_json:
        emit_json({"hash": current.hash, "count": current.count})
    else:
        typer.echo(f"{current.hash} {current.count}")


@audit_app.command("verify")
def audit_verify(
    ctx: typer.Context,
    head: Annotated[str | None, typer.Option("--head", help="A head hash kept earlier.")] = None,
) -> None:
    """Walk the chain and check the signed checkpoints; exit 1 naming what was tampered with."""
    rt = runtime(ctx)
    with rt.session() as session:
        result = audit.verify(session, expected_head=head)
        checked, problems = check_checkpoints(session, settings=rt.settings)
        record_verification(session, actor=actor(), result=result, checkpoints=checked, problems=problems)
    if not result.ok:
        typer.echo(
            _(
                "audit trail BROKEN after %(verified)s good events: %(problem)s",
                verified=result.verified,
                problem=result.problem,
            ),
            err=True,
        )
    for problem in problems:
        typer.echo(_("audit trail BROKEN: %(problem)s", problem=problem), err=True)
    if problems or not result.ok:
        raise typer.Exit(1)
    note = f" ({result.problem})" if result.problem else ""
    intact = _(
        "audit trail intact: %(verified)s events verified, %(checked)s signed checkpoints",
        verified=result.verified,
        checked=checked,
    )
    typer.echo(intact + note)


@audit_app.command("checkpoint")
def audit_checkpoint(ctx: typer.Context) -> None:
    """Write a signed checkpoint of the head outside the database (the scheduler does this too)."""
    rt = runtime(ctx)
    with rt.session() as session:
        checkpoint = write_checkpoint(session, settings=rt.settings)
    if checkpoint is None:
        typer.echo(_("the audit trail is empty: no checkpoint written"))
        return
    typer.echo(
        _(
            "checkpoint of event #%(seq)s written to %(directory)s",
            seq=checkpoint.seq,
            directory=rt.settings.effective_checkpoint_dir,
        )
    )
