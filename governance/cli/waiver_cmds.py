"""`govern waivers list|queue|request|approve|reject|revoke`: the waiver workflow from a terminal.

The acting person is a registered user (``--as NAME``, or ``GOVERN_USER``): the waiver service
applies the same role checks, reasons, expiry limits and audit events as the portal and API.
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Annotated

import typer

from governance.cli.lang import _
from governance.cli.runtime import JSON_OPTION, AsOption, acting_user, emit_json, emit_table, runtime
from governance.registry.service import get_user
from governance.scans.models import Waiver, WaiverKind, WaiverState
from governance.timeutil import as_utc, parse_day
from governance.waivers import service

waivers_app = typer.Typer(help="Waivers: false positives and accepted risks.", no_args_is_help=True)

ReasonOption = Annotated[str, typer.Option("--reason", help="Why (at least 10 characters).")]


def _who(name: str | None) -> str:
    return acting_user(name)


def _expiry(text: str | None) -> datetime | None:
    day = parse_day(text, "--expires")
    return None if day is None else datetime.combine(day, time(23, 59, 59), tzinfo=UTC)


def _record(waiver: Waiver, module: str) -> dict[str, object]:
    return {
        "id": waiver.id,
        "module": module,
        "kind": waiver.kind.value,
        "state": waiver.state.value,
        "target": waiver.fingerprint or waiver.rule,
        "finding": waiver.finding,
        "reason": waiver.reason,
        "requested_by": waiver.requested_by,
        "approver": waiver.approver,
        "decision_reason": waiver.decision_reason,
        "expires_at": as_utc(waiver.expires_at).isoformat() if waiver.expires_at else None,
    }


def _show(records: list[dict[str, object]], as_json: bool, title: str) -> None:
    if as_json:
        emit_json(records)
        return
    columns = ("id", "module", "kind", "state", "target", "reason", "requested_by", "approver", "expires_at")
    emit_table(title, columns, [[r[c] for c in columns] for r in records])


def _done(waiver: Waiver, verb: str) -> None:
    """``verb`` comes translated: what happened to the waiver (requested, approved …)."""
    until = _(" until %(date)s", date=as_utc(waiver.expires_at).date()) if waiver.expires_at else ""
    typer.echo(
        _(
            "waiver #%(id)s %(verb)s (%(state)s%(until)s)",
            id=waiver.id,
            verb=verb,
            state=waiver.state.value,
            until=until,
        )
    )


@waivers_app.command("list")
def list_cmd(
    ctx: typer.Context,
    module: Annotated[str, typer.Argument(help="Module key.")],
    state: Annotated[WaiverState | None, typer.Option(help="Only this state.")] = None,
    who: AsOption = None,
    as_json: bool = JSON_OPTION,
) -> None:
    """A module's waivers, newest first."""
    with runtime(ctx).session() as session:
        user = get_user(session, _who(who))
        records = [
            _record(w, module) for w in service.list_waivers(session, user=user, module=module, state=state)
        ]
    _show(records, as_json, _("Waivers of %(module)s", module=module))


@waivers_app.command("queue")
def queue_cmd(ctx: typer.Context, who: AsOption = None, as_json: bool = JSON_OPTION) -> None:
    """Requests waiting for a decision over every module the user may read."""
    with runtime(ctx).session() as session:
        user = get_user(session, _who(who))
        records = [_record(w, key) for w, key in service.waiver_queue(session, user=user)]
    _show(records, as_json, _("Waiver requests"))


@waivers_app.command("request")
def request_cmd(
    ctx: typer.Context,
    module: Annotated[str, typer.Argument(help="Module key.")],
    reason: ReasonOption,
    fingerprint: Annotated[str | None, typer.Option(help="The finding's fingerprint.")] = None,
    rule: Annotated[str | None, typer.Option(help="A whole standards rule instead, e.g. DEV-004.")] = None,
    kind: Annotated[
        WaiverKind, typer.Option(help="false_positive or accepted_risk.")
    ] = WaiverKind.false_positive,
    who: AsOption = None,
) -> None:
    """Ask for a waiver (a PM's own request is approved at once, with the default expiry)."""
    asked = service.WaiverRequest(module=module, reason=reason, kind=kind, fingerprint=fingerprint, rule=rule)
    with runtime(ctx).session() as session:
        waiver = service.request_waiver(session, user=get_user(session, _who(who)), request=asked)
        _done(waiver, _("requested"))


def _decide(
    ctx: typer.Context, waiver_id: int, reason: str, who: str | None, approve: bool, expires: str | None
) -> None:
    with runtime(ctx).session() as session:
        waiver = service.decide_waiver(
            session,
            user=get_user(session, _who(who)),
            waiver_id=waiver_id,
            approve=approve,
            reason=reason,
            expires_at=_expiry(expires),
        )
        _done(waiver, _("approved") if approve else _("rejected"))


@waivers_app.command("approve")
def approve_cmd(
    ctx: typer.Context,
    waiver_id: int,
    reason: ReasonOption,
    expires: Annotated[str | None, typer.Option(help="YYYY-MM-DD (default 90 days, at most 366).")] = None,
    who: AsOption = None,
) -> None:
    """Approve a requested waiver with an expiry (pm, admin)."""
    _decide(ctx, waiver_id, reason, who, True, expires)


@waivers_app.command("reject")
def reject_cmd(ctx: typer.Context, waiver_id: int, reason: ReasonOption, who: AsOption = None) -> None:
    """Reject a requested waiver (pm, admin)."""
    _decide(ctx, waiver_id, reason, who, False, None)


@waivers_app.command("revoke")
def revoke_cmd(ctx: typer.Context, waiver_id: int, reason: ReasonOption, who: AsOption = None) -> None:
    """Withdraw an approved waiver: the finding counts again from the next scan (pm, admin)."""
    with runtime(ctx).session() as session:
        waiver = service.revoke_waiver(
            session, user=get_user(session, _who(who)), waiver_id=waiver_id, reason=reason
        )
        _done(waiver, _("revoked"))
