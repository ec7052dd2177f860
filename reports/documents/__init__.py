"""Reports as documents: one entry point for every face (CLI, API, portal).

``write_report(report, fmt, out, lang=…, table=…)`` writes one of :data:`FORMATS` into a
binary stream; CSV holds one table (``findings`` unless ``table`` names another), XLSX all.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Literal, get_args

from governance.errors import InvalidInput, said
from governance.reporting.values import Report
from reports.documents import machine, pages, sheets
from reports.render.formats import chosen
from reports.render.i18n import Lang, translations
from reports.render.pdf import write_pdf
from reports.render.tables import csv_chunks, write_xlsx

Format = Literal["html", "pdf", "csv", "xlsx", "json", "sarif"]
FORMATS: tuple[Format, ...] = get_args(Format)
MEDIA_TYPES: dict[Format, str] = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "sarif": "application/sarif+json",
}
EXTENSIONS: dict[Format, str] = {f: f for f in FORMATS} | {"sarif": "sarif.json"}


def format_of(text: str) -> Format:
    """A format name as typed by a user, checked."""
    return chosen(text, FORMATS)


def filename(report: Report, fmt: Format) -> str:
    """A download's file name: ``govern-<kind>-<subject>.<ext>`` (safe characters only)."""
    subject = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in report.meta.title).strip("-")
    return f"govern-{report.meta.kind}-{subject or 'report'}.{EXTENSIONS[fmt]}"


def chunks(report: Report, fmt: Format, *, lang: Lang, table: str | None = None) -> Iterator[bytes]:
    """The document as byte chunks (streamed where the format allows: CSV, JSON, SARIF)."""
    gettext = translations(lang).gettext
    if fmt == "csv":
        return csv_chunks(sheets.chosen(report, gettext, lang, table))
    if fmt in ("json", "sarif"):
        text = machine.json_text(report) if fmt == "json" else machine.sarif_text(report, lang=lang)
        return (part.encode("utf-8") for part in text)
    if fmt == "html":
        return iter([pages.html(report, lang=lang).encode("utf-8")])
    raise said(InvalidInput, "%(fmt)s is written to a file, not streamed", fmt=fmt)


def write_report(
    report: Report, fmt: Format, out: IO[bytes], *, lang: Lang, table: str | None = None
) -> None:
    """Write the report in ``fmt`` and ``lang`` into ``out``."""
    if fmt == "pdf":
        write_pdf(pages.html(report, lang=lang), out)
    elif fmt == "xlsx":
        write_xlsx(sheets.sheets(report, translations(lang).gettext, lang).values(), out)
    else:
        for part in chunks(report, fmt, lang=lang, table=table):
            out.write(part)
