"""`govern tickets list|show|answer|waive|close|reassign|extend|sweep`: rectification tickets from a terminal.

The acting person is a registered user (``--as NAME`` or ``GOVERN_USER``); the ticket services
apply the same scoping, role checks and audit events as the portal and the API.
"""

from __future__ import annotations

from typing import Annotated

import typer

from governance.cli.lang import _, translate
from governance.cli.runtime import JSON_OPTION, AsOption, emit_fields, emit_json, emit_table, runtime
from governance.cli.waiver_cmds import ReasonOption, _who
from governance.registry.service import get_user
from governance.scans.models import WaiverKind
from governance.tickets import actions, titles
from governance.tickets.models import Ticket
from governance.tickets.service import TicketDetail, TicketFilter, TicketRow, list_tickets, ticket_detail
from governance.tickets.sweep import sweep
from governance.timeutil import as_utc, parse_day, utcnow

tickets_app = typer.Typer(
    help="Rectification tickets: findings a vendor must fix by a date.", no_args_is_help=True
)


def ticket_record(row: TicketRow) -> dict[str, object]:
    """A ticket as the CLI's JSON (and table) shows it."""
    t = row.ticket
    return {
        "id": t.id,
        "module": row.module,
        "vendor": row.vendor,
        "state": t.state,
        "cause": t.cause,
        "severity": t.severity,
        "title": t.title,
        "assignee": t.assignee,
        "due": as_utc(t.due_at).date().isoformat(),
        "overdue": row.overdue,
        "escalated": t.escalated_at is not None,
        "planned": as_utc(t.planned_at).date().isoformat() if t.planned_at else None,
        "findings": row.findings,
        "findings_total": row.total,
        "close_reason": t.close_reason,
    }


def _detail_record(detail: TicketDetail) -> dict[str, object]:
    return {
        **ticket_record(detail.row),
        "items": [
            {
                "fingerprint": f.fingerprint,
                "rule": f.rule,
                "severity": f.severity,
                "path": f.path,
                "line": f.line,
                "author": f.author,
                "showing": f.present,
            }
            for f in detail.findings
        ],
        "thread": [
            {"at": as_utc(c.at).isoformat(), "author": c.author, "kind": c.kind, "body": c.body}
            for c in detail.thread
        ],
    }


def _done(ticket: Ticket, verb: str) -> None:
    """``verb`` comes translated: what happened to the ticket (answered, extended …)."""
    due = as_utc(ticket.due_at).date()
    typer.echo(
        _(
            "ticket #%(id)s %(verb)s (%(state)s, due %(due)s)",
            id=ticket.id,
            verb=verb,
            state=ticket.state,
            due=due,
        )
    )


@tickets_app.command("list")
def list_cmd(
    ctx: typer.Context,
    module: Annotated[str | None, typer.Option(help="Only this module.")] = None,
    state: Annotated[
        str | None, typer.Option(help="open, answered, verifying, closed, reopened or active.")
    ] = None,
    vendor: Annotated[str | None, typer.Option(help="Only this vendor's tickets.")] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only tickets past their due date.")] = False,
    who: AsOption = None,
    as_json: bool = JSON_OPTION,
) -> None:
    """Tickets of the modules the user may read, most urgent first."""
    where = TicketFilter(module=module, state=state, vendor=vendor, overdue=overdue)
    with runtime(ctx).session() as session:
        rows = list_tickets(session, user=get_user(session, _who(who)), where=where)
        records = [ticket_record(r) for r in rows]
    if as_json:
        emit_json(records)
        return
    for record, row in zip(records, rows, strict=True):
        record["title"] = titles.shown(row.ticket, translate)
    columns = ("id", "module", "state", "severity", "due", "overdue", "findings", "assignee", "title")
    emit_table(_("Tickets"), columns, [[r[c] for c in columns] for r in records])


@tickets_app.command("show")
def show_cmd(ctx: typer.Context, ticket_id: int, who: AsOption = None, as_json: bool = JSON_OPTION) -> None:
    """One ticket: its findings and its thread."""
    with runtime(ctx).session() as session:
        detail = ticket_detail(session, user=get_user(session, _who(who)), ticket_id=ticket_id)
        record = _detail_record(detail)
    if as_json:
        emit_json(record)
        return
    record["title"] = titles.shown(detail.row.ticket, translate)
    emit_fields(
        record, ["id", "module", "state", "severity", "title", "assignee", "due", "planned", "findings"]
    )
    for item in record["items"]:  # type: ignore[attr-defined]  # a list built just above
        mark = _("showing") if item["showing"] else _("gone")
        typer.echo(f"  [{mark}] {item['severity']} {item['rule']} {item['path']}:{item['line']}")
    for entry in record["thread"]:  # type: ignore[attr-defined]
        typer.echo(f"  {entry['at'][:16]} {entry['author']} ({entry['kind']}): {entry['body']}")


@tickets_app.command("answer")
def answer_cmd(
    ctx: typer.Context,
    ticket_id: int,
    comment: Annotated[str, typer.Option(help="The answer.")],
    planned: Annotated[str | None, typer.Option(help="Planned fix date, YYYY-MM-DD.")] = None,
    fixed: Annotated[
        bool, typer.Option("--fixed", help="The fix is delivered: verify it at the next scan.")
    ] = False,
    who: AsOption = None,
) -> None:
    """The vendor answers a ticket (a comment, a planned date, or "fixed")."""
    answer = actions.Answer(comment=comment, planned=parse_day(planned, "--planned"), fixed=fixed)
    with runtime(ctx).session() as session:
        ticket = actions.answer_ticket(
            session, user=get_user(session, _who(who)), ticket_id=ticket_id, answer=answer
        )
        _done(ticket, _("answered"))


@tickets_app.command("waive")
def waive_cmd(
    ctx: typer.Context,
    ticket_id: int,
    reason: ReasonOption,
    kind: Annotated[
        WaiverKind, typer.Option(help="false_positive or accepted_risk.")
    ] = WaiverKind.false_positive,
    who: AsOption = None,
) -> None:
    """The vendor asks to waive the ticket's findings (one waiver request each, decided by a PM)."""
    with runtime(ctx).session() as session:
        made = actions.request_ticket_waiver(
            session, user=get_user(session, _who(who)), ticket_id=ticket_id, reason=reason, kind=kind
        )
        made_text = ", ".join(f"#{w.id} ({w.state.value})" for w in made)
        typer.echo(_("ticket #%(id)s: waivers %(waivers)s", id=ticket_id, waivers=made_text))


@tickets_app.command("close")
def close_cmd(
    ctx: typer.Context,
    ticket_id: int,
    waiver: Annotated[str, typer.Option("--waiver", help="Accept the risk: the waiver's reason.")],
    until: Annotated[str | None, typer.Option(help="Waiver expiry, YYYY-MM-DD (default 90 days).")] = None,
    who: AsOption = None,
) -> None:
    """Close as accepted risk through a waiver (pm, admin); a fix is closed only by a scan."""
    with runtime(ctx).session() as session:
        ticket = actions.accept_risk(
            session,
            user=get_user(session, _who(who)),
            ticket_id=ticket_id,
            reason=waiver,
            until=parse_day(until, "--until"),
        )
        _done(ticket, _("closed as accepted risk"))


@tickets_app.command("reassign")
def reassign_cmd(
    ctx: typer.Context,
    ticket_id: int,
    to: Annotated[str, typer.Option("--to", help="A user of the module's vendor.")],
    who: AsOption = None,
) -> None:
    """Give a ticket to another person of the vendor (pm, admin)."""
    with runtime(ctx).session() as session:
        ticket = actions.reassign_ticket(
            session, user=get_user(session, _who(who)), ticket_id=ticket_id, assignee=to
        )
        _done(ticket, _("assigned to %(user)s", user=to))


@tickets_app.command("extend")
def extend_cmd(
    ctx: typer.Context,
    ticket_id: int,
    until: Annotated[str, typer.Option(help="New due date, YYYY-MM-DD.")],
    reason: ReasonOption,
    who: AsOption = None,
) -> None:
    """Move a ticket's due date later, with a reason (pm, admin; audited)."""
    day = parse_day(until, "--until")
    assert day is not None  # a required option
    with runtime(ctx).session() as session:
        ticket = actions.extend_ticket(
            session, user=get_user(session, _who(who)), ticket_id=ticket_id, until=day, reason=reason
        )
        _done(ticket, _("extended"))


@tickets_app.command("sweep")
def sweep_cmd(ctx: typer.Context) -> None:
    """Run the scheduler's ticket job now: flag overdue tickets, reopen those whose waiver lapsed."""
    with runtime(ctx).session() as session:
        result = sweep(session, now=utcnow())
    typer.echo(
        _(
            "escalated %(escalated)s, reopened %(reopened)s",
            escalated=len(result.escalated),
            reopened=len(result.reopened),
        )
    )
