"""`govern report scan ID|module KEY|vendor NAME|portfolio`: documents from a terminal.

The reader is a registered user (``--as NAME`` or ``GOVERN_USER``): a vendor gets only its
own vendor's data, exactly as in the portal. The file is written next to ``--output`` and
renamed into place when complete, so a failure leaves no half document; each document is
an audit event.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from governance.cli.lang import _
from governance.cli.runtime import AsOption, acting_user, runtime
from governance.registry.service import get_user
from governance.reporting.assemble import build_report, record_download
from governance.reporting.values import ReportKind
from reports.documents import FORMATS, format_of, write_report
from reports.render.i18n import lang_of

report_app = typer.Typer(
    help="Reports: a scan, a module, a vendor, the portfolio as documents.", no_args_is_help=True
)

FormatOption = Annotated[str, typer.Option("--format", "-f", help=f"One of {', '.join(FORMATS)}.")]
OutputOption = Annotated[Path, typer.Option("--output", "-o", help="The file to write.", dir_okay=False)]
LangOption = Annotated[str, typer.Option("--lang", help="Document language: zh-CN or en.")]
TableOption = Annotated[
    str | None,
    typer.Option("--table", help="CSV only: which table (findings, rules, conditions, waivers, …)."),
]


def _make(
    ctx: typer.Context,
    kind: ReportKind,
    subject: str | None,
    *,
    fmt: str,
    output: Path,
    lang: str,
    table: str | None,
    who: str | None,
) -> None:
    chosen, language, reader = format_of(fmt), lang_of(lang), acting_user(who)
    database = runtime(ctx).db
    with database.session() as session:
        user = get_user(session, reader)
        report = build_report(session, factory=database.session, user=user, kind=kind, subject=subject)
        output.parent.mkdir(parents=True, exist_ok=True)
        handle, partial = tempfile.mkstemp(prefix=f".{output.name}.", dir=output.parent)
        try:
            with os.fdopen(handle, "wb") as out:
                write_report(report, chosen, out, lang=language, table=table)
            os.replace(partial, output)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
        record_download(session, user=user, report=report, fmt=chosen, lang=language)
    typer.echo(
        _(
            "%(kind)s report written to %(file)s (%(format)s, %(language)s)",
            kind=kind,
            file=output,
            format=chosen,
            language=language,
        )
    )


@report_app.command("scan")
def scan_cmd(
    ctx: typer.Context,
    scan_id: Annotated[int, typer.Argument(help="Scan id.", min=1)],
    output: OutputOption,
    fmt: FormatOption = "html",
    lang: LangOption = "en",
    table: TableOption = None,
    who: AsOption = None,
) -> None:
    """One scan: verdict and conditions, standards, rules, waivers, findings."""
    _make(ctx, "scan", str(scan_id), fmt=fmt, output=output, lang=lang, table=table, who=who)


@report_app.command("module")
def module_cmd(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="Module key.")],
    output: OutputOption,
    fmt: FormatOption = "html",
    lang: LangOption = "en",
    table: TableOption = None,
    who: AsOption = None,
) -> None:
    """One module over time: score history, latest scan, requirements and traceability."""
    _make(ctx, "module", key, fmt=fmt, output=output, lang=lang, table=table, who=who)


@report_app.command("vendor")
def vendor_cmd(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Vendor name.")],
    output: OutputOption,
    fmt: FormatOption = "html",
    lang: LangOption = "en",
    table: TableOption = None,
    who: AsOption = None,
) -> None:
    """One vendor: its modules' verdicts, failing rules, waivers, findings."""
    _make(ctx, "vendor", name, fmt=fmt, output=output, lang=lang, table=table, who=who)


@report_app.command("portfolio")
def portfolio_cmd(
    ctx: typer.Context,
    output: OutputOption,
    fmt: FormatOption = "html",
    lang: LangOption = "en",
    table: TableOption = None,
    who: AsOption = None,
) -> None:
    """Every module the reader may see (a vendor: its own modules only)."""
    _make(ctx, "portfolio", None, fmt=fmt, output=output, lang=lang, table=table, who=who)
