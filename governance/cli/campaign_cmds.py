"""`govern campaign create|list|show|close`: targets over modules with a deadline."""

from __future__ import annotations

from typing import Annotated

import typer

from governance.campaigns.models import Campaign, CampaignGoal
from governance.campaigns.service import (
    CampaignSpec,
    CampaignView,
    campaign_view,
    close_campaign,
    create_campaign,
    list_campaigns,
)
from governance.cli.lang import _
from governance.cli.runtime import JSON_OPTION, AsOption, emit_json, emit_table, runtime
from governance.cli.waiver_cmds import ReasonOption, _who
from governance.errors import InvalidInput, said
from governance.registry.service import get_user
from governance.timeutil import parse_day

campaign_app = typer.Typer(help="Campaigns: a target over modules by a deadline.", no_args_is_help=True)


def target_text(c: Campaign) -> str:
    """The target in words (English; the portal translates its own)."""
    if c.goal == CampaignGoal.level:
        return f"level {c.level} or better" + (f" in {c.standard}" if c.standard else "")
    return f"no open {c.severity} (or worse) finding"


def campaign_record(c: Campaign) -> dict[str, object]:
    return {
        "id": c.id,
        "title": c.title,
        "target": target_text(c),
        "goal": c.goal,
        "level": c.level,
        "standard": c.standard,
        "severity": c.severity,
        "deadline": c.deadline.isoformat(),
        "state": c.state,
        "result": c.result or None,
    }


def view_record(view: CampaignView) -> dict[str, object]:
    return {
        **campaign_record(view.campaign),
        "met": view.met,
        "modules": [
            {
                "module": e.module,
                "vendor": e.vendor,
                "now": e.now.value if e.now else None,
                "met": bool(e.now and e.now.met),
                "met_at_deadline": e.met_at_deadline,
            }
            for e in view.entries
        ],
        "burn_up": [{"day": p.day.isoformat(), "met": p.met, "total": p.total} for p in view.burn_up],
    }


@campaign_app.command("create")
def create_cmd(
    ctx: typer.Context,
    title: Annotated[str, typer.Option(help="What the campaign is for.")],
    deadline: Annotated[str, typer.Option(help="YYYY-MM-DD.")],
    module: Annotated[list[str], typer.Option("--module", help="A module key (repeat for each).")],
    level: Annotated[str | None, typer.Option(help="Target: this level (A-E) or better.")] = None,
    standard: Annotated[str | None, typer.Option(help="…of this standard (default: overall).")] = None,
    no_findings: Annotated[
        str | None, typer.Option("--no-findings", help="Target: no open finding at or above this severity.")
    ] = None,
    who: AsOption = None,
) -> None:
    """Set a target over modules with a deadline (pm, admin)."""
    if (level is None) == (no_findings is None):
        raise said(InvalidInput, "give exactly one target: --level or --no-findings")
    day = parse_day(deadline, "--deadline")
    assert day is not None
    spec = CampaignSpec(
        title=title,
        goal=CampaignGoal.level if level else CampaignGoal.no_findings,
        deadline=day,
        modules=tuple(module),
        level=level.upper() if level else None,
        standard=standard,
        severity=no_findings,
    )
    with runtime(ctx).session() as session:
        made = create_campaign(session, user=get_user(session, _who(who)), spec=spec)
        typer.echo(
            _(
                "campaign #%(id)s created: %(target)s by %(deadline)s",
                id=made.id,
                target=target_text(made),
                deadline=made.deadline,
            )
        )


@campaign_app.command("list")
def list_cmd(ctx: typer.Context, who: AsOption = None, as_json: bool = JSON_OPTION) -> None:
    """Campaigns over the modules the user may read."""
    with runtime(ctx).session() as session:
        records = [campaign_record(c) for c in list_campaigns(session, user=get_user(session, _who(who)))]
    if as_json:
        emit_json(records)
        return
    columns = ("id", "title", "target", "deadline", "state")
    emit_table(_("Campaigns"), columns, [[r[c] for c in columns] for r in records])


@campaign_app.command("show")
def show_cmd(ctx: typer.Context, campaign_id: int, who: AsOption = None, as_json: bool = JSON_OPTION) -> None:
    """A campaign: where each (readable) module stands, and the burn-up."""
    with runtime(ctx).session() as session:
        record = view_record(
            campaign_view(session, user=get_user(session, _who(who)), campaign_id=campaign_id)
        )
    if as_json:
        emit_json(record)
        return
    typer.echo(_("#%(id)s %(title)s: %(target)s by %(deadline)s (%(state)s)", **record))
    rows = record["modules"]
    assert isinstance(rows, list)
    emit_table(
        _("Modules"),
        ("module", "vendor", "now", "met"),
        [[r[c] for c in ("module", "vendor", "now", "met")] for r in rows],
    )


@campaign_app.command("close")
def close_cmd(ctx: typer.Context, campaign_id: int, reason: ReasonOption, who: AsOption = None) -> None:
    """End a campaign before its deadline (pm, admin)."""
    with runtime(ctx).session() as session:
        closed = close_campaign(
            session, user=get_user(session, _who(who)), campaign_id=campaign_id, reason=reason
        )
        typer.echo(_("campaign #%(id)s closed", id=closed.id))
