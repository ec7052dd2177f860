"""`govern report scorecard` and `govern report monthly [list]`: scorecards and monthly reports.

The reader is a registered user (``--as NAME`` or ``GOVERN_USER``): a vendor gets only its own
card (with its rank and the number of vendors); monthly reports are for PMs, auditors and
admins. Files are written beside ``--output`` and renamed into place when complete; every
document written is an audit event.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from governance import access
from governance.cli.lang import _
from governance.cli.runtime import emit_table, runtime
from governance.errors import InvalidInput, said
from governance.monthly import service as monthly
from governance.registry.service import get_user
from governance.scorecards.periods import parse_month
from governance.scorecards.service import record_scorecard, scorecard_board
from governance.timeutil import as_utc, utcnow
from reports.render.i18n import lang_of
from reports.scorecards.monthly import render_monthly
from reports.scorecards.scorecard import format_of, scorecard_document

AsOption = Annotated[str | None, typer.Option("--as", help="Act as this registered user [env GOVERN_USER].")]
LangOption = Annotated[str, typer.Option("--lang", help="Document language: zh-CN or en.")]
monthly_app = typer.Typer(help="The monthly portfolio report (月报): get one, or list them.")


def _who(name: str | None) -> str:
    chosen = name or os.environ.get("GOVERN_USER")
    if not chosen:
        raise said(InvalidInput, "say who reads: --as USER (or set GOVERN_USER)")
    return chosen


def write_atomically(output: Path, content: bytes) -> None:
    """Write next to ``output`` and rename: a failure leaves no half document."""
    output.parent.mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(prefix=f".{output.name}.", dir=output.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.replace(partial, output)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise


def scorecard(
    ctx: typer.Context,
    quarter: Annotated[str, typer.Option("--quarter", help="The quarter, e.g. 2026Q4.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The file to write.", dir_okay=False)],
    fmt: Annotated[str, typer.Option("--format", "-f", help="xlsx, pdf, html or json.")] = "xlsx",
    vendor: Annotated[str | None, typer.Option("--vendor", help="Only this vendor's card.")] = None,
    lang: LangOption = "en",
    who: AsOption = None,
) -> None:
    """Vendor scorecards of a quarter: ranking, each vendor's card, change from the previous quarter."""
    chosen, language = format_of(fmt), lang_of(lang)
    with runtime(ctx).session() as session:
        user = get_user(session, _who(who))
        board = scorecard_board(session, user=user, quarter=quarter, now=utcnow(), vendor=vendor)
        write_atomically(output, scorecard_document(board, chosen, language))
        record_scorecard(session, user=user, board=board, fmt=chosen, lang=language, via="cli")
    typer.echo(
        _(
            "scorecards %(quarter)s (%(cards)s of %(vendors)s vendors) written to %(file)s",
            quarter=board.quarter,
            cards=len(board.cards),
            vendors=board.vendor_count,
            file=output,
        )
    )


@monthly_app.callback(invoke_without_command=True)
def monthly_report(
    ctx: typer.Context,
    month: Annotated[str | None, typer.Option("--month", help="The month, e.g. 2026-11.")] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="The file to write.", dir_okay=False)
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="pdf, html, xlsx or json.")] = "pdf",
    lang: LangOption = "en",
    who: AsOption = None,
) -> None:
    """Write a month's stored report; a PM or admin generates it first if the scheduler has not yet."""
    if ctx.invoked_subcommand is not None:
        return
    if month is None or output is None:
        raise said(
            InvalidInput,
            "say which month and where: --month 2026-11 --output FILE (or: govern report monthly list)",
        )
    language = "und" if fmt == "json" else lang_of(lang)
    label = parse_month(month).label
    with runtime(ctx).session() as session:
        user = get_user(session, _who(who))
        if monthly.find_report(session, label) is None and access.can_manage(user):
            monthly.generate_by_hand(session, user=user, month=label, renderer=render_monthly, now=utcnow())
        document = monthly.download(session, user=user, month=label, fmt=fmt, lang=language, via="cli")
        write_atomically(output, document.content)
    typer.echo(
        _(
            "monthly report %(month)s (%(format)s, %(language)s) written to %(file)s",
            month=label,
            format=fmt,
            language=language,
            file=output,
        )
    )


@monthly_app.command("list")
def monthly_list(ctx: typer.Context, who: AsOption = None) -> None:
    """The stored monthly reports and their documents."""
    with runtime(ctx).session() as session:
        user = get_user(session, _who(who))
        rows = [
            (
                r.month,
                as_utc(r.generated_at).strftime("%Y-%m-%d %H:%M"),
                r.generated_by,
                r.summary.get("scans"),
                ", ".join(f"{f.format}:{f.lang}" for f in files),
            )
            for r, files in monthly.list_reports(session, user=user)
        ]
    emit_table(_("Monthly reports"), ("month", "generated", "by", "scans", "documents"), rows)


def add_scorecards(report_app: typer.Typer) -> None:
    """Hang ``scorecard`` and ``monthly`` under ``govern report`` (beside scan, module, vendor, portfolio)."""
    report_app.command("scorecard")(scorecard)
    report_app.add_typer(monthly_app, name="monthly")
