"""``/api/v1/reports/…``: a scan, a module, a vendor or the portfolio as a document to download.

The same reports as ``govern report`` (one assembly, :mod:`governance.reporting.assemble`,
with the reader's scope; one writer, :mod:`reports.documents`). CSV, JSON, SARIF and HTML
stream; PDF and XLSX are written to a spooled temporary file first (a workbook is a zip, a
PDF needs its page count) and then streamed. Every download is an audit event.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import StreamingResponse

from governance.db import Database
from governance.registry.models import User
from governance.reporting.assemble import build_report, record_download
from governance.reporting.values import Report, ReportKind
from portal.deps import CurrentUser, DatabaseDep, DbSession
from portal.routes.api_common import ERRORS, ScanId
from portal.templating import locale_for
from reports.documents import MEDIA_TYPES, Format, chunks, filename, write_report
from reports.render.i18n import Lang, lang_of

router = APIRouter(prefix="/api/v1/reports", tags=["reports"], responses=ERRORS)

FormatParam = Annotated[Format, Query(alias="format", description="html, pdf, csv, xlsx, json or sarif")]
LangParam = Annotated[
    Literal["en", "zh-CN"] | None, Query(description="Document language (default: the user's own)")
]
TableParam = Annotated[
    str | None,
    Query(
        max_length=20, description="CSV only: findings, rules, conditions, waivers, history, matrix, modules"
    ),
]
DOCUMENT: dict[int | str, dict[str, Any]] = {
    200: {"content": {media: {} for media in sorted(set(MEDIA_TYPES.values()))}}
}
_SPOOL = 32 * 1024 * 1024


def _language(request: Request, user: User, lang: str | None) -> Lang:
    return lang_of(lang or locale_for(request, user))


def _file(report: Report, fmt: Format, lang: Lang) -> Iterator[bytes]:
    """PDF/XLSX written whole into a spooled file (memory up to 32 MB, then disk), then read out."""
    spool = tempfile.SpooledTemporaryFile(max_size=_SPOOL)  # noqa: SIM115 - closed by the generator
    write_report(report, fmt, spool, lang=lang)
    spool.seek(0)

    def read() -> Iterator[bytes]:
        with spool:
            while block := spool.read(256 * 1024):
                yield block

    return read()


def _download(
    request: Request,
    session: DbSession,
    database: Database,
    user: User,
    *,
    kind: ReportKind,
    subject: str | None,
    fmt: Format,
    lang: str | None,
    table: str | None,
) -> StreamingResponse:
    language = _language(request, user, lang)
    report = build_report(session, factory=database.session, user=user, kind=kind, subject=subject)
    body = (
        _file(report, fmt, language)
        if fmt in ("pdf", "xlsx")
        else chunks(report, fmt, lang=language, table=table)
    )
    record_download(session, user=user, report=report, fmt=fmt, lang=language)
    headers = {"Content-Disposition": f'attachment; filename="{filename(report, fmt)}"'}
    return StreamingResponse(body, media_type=MEDIA_TYPES[fmt], headers=headers)


@router.get("/scan/{scan_id}", summary="One scan as a document", responses=DOCUMENT)
def scan_document(
    request: Request,
    scan_id: ScanId,
    session: DbSession,
    database: DatabaseDep,
    user: CurrentUser,
    fmt: FormatParam = "html",
    lang: LangParam = None,
    table: TableParam = None,
) -> StreamingResponse:
    """One scan: verdict with its conditions, standards, rules, waivers, findings."""
    return _download(
        request,
        session,
        database,
        user,
        kind="scan",
        subject=str(scan_id),
        fmt=fmt,
        lang=lang,
        table=table,
    )


@router.get("/module/{key}", summary="One module over time as a document", responses=DOCUMENT)
def module_document(
    request: Request,
    key: Annotated[str, Path(max_length=40)],
    session: DbSession,
    database: DatabaseDep,
    user: CurrentUser,
    fmt: FormatParam = "html",
    lang: LangParam = None,
    table: TableParam = None,
) -> StreamingResponse:
    """One module over time: score history, latest scan, requirements and traceability."""
    return _download(
        request, session, database, user, kind="module", subject=key, fmt=fmt, lang=lang, table=table
    )


@router.get("/vendor/{name}", summary="One vendor as a document", responses=DOCUMENT)
def vendor_document(
    request: Request,
    name: Annotated[str, Path(max_length=200)],
    session: DbSession,
    database: DatabaseDep,
    user: CurrentUser,
    fmt: FormatParam = "html",
    lang: LangParam = None,
    table: TableParam = None,
) -> StreamingResponse:
    """One vendor: its modules, failing rules, waivers, findings (a vendor: its own only)."""
    return _download(
        request, session, database, user, kind="vendor", subject=name, fmt=fmt, lang=lang, table=table
    )


@router.get("/portfolio", summary="Every module the reader may see, as a document", responses=DOCUMENT)
def portfolio_document(
    request: Request,
    session: DbSession,
    database: DatabaseDep,
    user: CurrentUser,
    fmt: FormatParam = "html",
    lang: LangParam = None,
    table: TableParam = None,
) -> StreamingResponse:
    """Every module the reader may see (a vendor: its own modules only)."""
    return _download(
        request, session, database, user, kind="portfolio", subject=None, fmt=fmt, lang=lang, table=table
    )
