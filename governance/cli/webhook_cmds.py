"""`govern webhooks add|list|remove|test` and `govern notices deliver`: signed webhooks and the outbox.

A webhook belongs to one module (``--module KEY``) or one vendor (``--vendor NAME``); the
secret is printed once at ``add`` and masked after. ``test`` sends a signed ``ping`` now and
says what the receiver answered. ``notices deliver`` runs one delivery pass (what the
scheduler does every pass) and sends the digests that are due.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

import typer

from governance.cli.lang import _
from governance.cli.runtime import JSON_OPTION, actor, counts_text, emit_json, emit_table, runtime
from governance.notices.channels import send_now
from governance.notices.digest import send_digests
from governance.notices.dispatch import Dispatcher
from governance.notices.subscriptions import (
    WebhookView,
    add_webhook,
    list_webhooks,
    ping_request,
    remove_webhook,
)
from governance.timeutil import utcnow

webhooks_app = typer.Typer(help="Signed webhooks of modules and vendors.", no_args_is_help=True)
notices_app = typer.Typer(help="Notices (e-mail and webhooks) waiting in the outbox.", no_args_is_help=True)

#: What one delivery pass counts: the dispatch's counters, then the digests' (the keys of ``--json``).
DELIVERY_COUNTS = ["fanned_out", "delivered", "retrying", "failed", "digests_sent", "digests_failed"]

ModuleOption = Annotated[str | None, typer.Option("--module", help="Module key.")]
VendorOption = Annotated[str | None, typer.Option("--vendor", help="Vendor name.")]


@webhooks_app.command("add")
def add_cmd(
    ctx: typer.Context,
    url: Annotated[str, typer.Option("--url", help="Receiver address (http:// or https://).")],
    module: ModuleOption = None,
    vendor: VendorOption = None,
    event: Annotated[
        list[str] | None, typer.Option("--event", help="Only this event (repeat); default: all.")
    ] = None,
    secret: Annotated[
        str | None, typer.Option("--secret", help="Signing secret; default: generated.")
    ] = None,
) -> None:
    """Subscribe a URL to a module's or a vendor's notices; prints the secret once."""
    with runtime(ctx).session() as session:
        hook, key = add_webhook(
            session, url=url, actor=actor(), module=module, vendor=vendor, events=event or (), secret=secret
        )
        view = WebhookView.of(session, hook)
    typer.echo(_("webhook #%(id)s for %(owner)s -> %(url)s", id=view.id, owner=view.owner, url=view.url))
    typer.echo(_("signing secret (shown once): %(secret)s", secret=key))


@webhooks_app.command("list")
def list_cmd(
    ctx: typer.Context, module: ModuleOption = None, vendor: VendorOption = None, as_json: bool = JSON_OPTION
) -> None:
    """The subscriptions (secrets masked)."""
    with runtime(ctx).session() as session:
        views = list_webhooks(session, module=module, vendor=vendor)
    if as_json:
        emit_json([asdict(v) for v in views])
        return
    columns = ("id", "owner", "url", "events", "secret", "active")
    rows = [[v.id, v.owner, v.url, ", ".join(v.events) or _("all"), v.secret, v.active] for v in views]
    emit_table(_("Webhooks"), columns, rows)


@webhooks_app.command("remove")
def remove_cmd(ctx: typer.Context, webhook_id: Annotated[int, typer.Argument(help="Webhook id.")]) -> None:
    """Stop a subscription (its delivery log is kept)."""
    with runtime(ctx).session() as session:
        remove_webhook(session, webhook_id=webhook_id, actor=actor())
    typer.echo(_("webhook #%(id)s removed", id=webhook_id))


@webhooks_app.command("test")
def test_cmd(ctx: typer.Context, webhook_id: Annotated[int, typer.Argument(help="Webhook id.")]) -> None:
    """Send a signed ping now; exit 1 if the receiver did not accept it."""
    with runtime(ctx).session() as session:
        request = ping_request(session, webhook_id=webhook_id, now=utcnow())
    attempt = send_now(request)
    if not attempt.ok:
        typer.echo(
            _("webhook #%(id)s: not delivered (%(error)s)", id=webhook_id, error=attempt.error), err=True
        )
        raise typer.Exit(1)
    typer.echo(_("webhook #%(id)s: delivered (HTTP %(status)s)", id=webhook_id, status=attempt.status_code))


@notices_app.command("deliver")
def deliver_cmd(ctx: typer.Context, as_json: bool = JSON_OPTION) -> None:
    """One delivery pass now: fan out, attempt what is due, send due digests."""
    rt = runtime(ctx)
    dispatcher = Dispatcher.from_settings(rt.db, rt.settings)
    try:
        report = {
            **asdict(dispatcher.dispatch()),
            **{f"digests_{k}": v for k, v in asdict(send_digests(dispatcher)).items()},
        }
    finally:
        dispatcher.channels.close()
    if as_json:
        emit_json(report)
        return
    typer.echo(counts_text(report, DELIVERY_COUNTS))
