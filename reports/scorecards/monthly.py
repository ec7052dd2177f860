"""The monthly portfolio report as HTML, PDF and XLSX in both languages (the scheduler stores them)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from governance.monthly.values import MonthlySummary, RenderedFile
from reports.render.html import render_html
from reports.render.i18n import LANGS, Lang, translations
from reports.render.pdf import html_to_pdf
from reports.render.tables import Sheet, xlsx_bytes
from reports.scorecards.scorecard import FORMATS

STORED: tuple[str, ...] = ("html", "pdf", "xlsx")


def _html(summary: MonthlySummary, lang: Lang, generated_at: datetime) -> str:
    return render_html("monthly.html", {"s": summary, "generated_at": generated_at}, lang=lang)


def _sheets(summary: MonthlySummary, lang: Lang) -> list[Sheet]:
    _ = translations(lang).gettext
    totals = [
        (_("Scans"), summary.scans),
        (_("New findings"), summary.findings_new),
        (_("Fixed findings"), summary.findings_fixed),
        (_("Gate pass → fail"), ", ".join(summary.gate_to_fail)),
        (_("Gate fail → pass"), ", ".join(summary.gate_to_pass)),
        (_("Requirements delivered"), len(summary.requirements_delivered)),
        (_("Lines under governance"), summary.lines_of_code),
        (_("Lines change"), summary.lines_change),
        (_("Waivers granted"), summary.waivers_granted),
        (_("Waivers expired"), summary.waivers_expired),
    ]
    header = [
        _("Module"),
        _("Vendor"),
        _("Scans"),
        _("New findings"),
        _("Fixed findings"),
        _("Gate at start"),
        _("Gate at end"),
        _("Lines of code"),
    ]
    modules = [
        [
            m.module,
            m.vendor,
            m.scans,
            m.findings_new,
            m.findings_fixed,
            m.gate_before,
            m.gate_after,
            m.lines_of_code,
        ]
        for m in summary.modules
    ]
    return [
        Sheet(summary.month, [_("Figure"), _("Value")], totals),
        Sheet(_("Modules"), header, modules),
        Sheet(
            _("Requirements delivered"), [_("Requirement")], [[key] for key in summary.requirements_delivered]
        ),
    ]


def monthly_document(summary: MonthlySummary, fmt: str, lang: Lang, generated_at: datetime) -> bytes:
    writers: dict[str, Callable[[], bytes]] = {
        "html": lambda: _html(summary, lang, generated_at).encode(),
        "pdf": lambda: html_to_pdf(_html(summary, lang, generated_at)),
        "xlsx": lambda: xlsx_bytes(_sheets(summary, lang)),
    }
    return writers[fmt]()


def render_monthly(summary: MonthlySummary, generated_at: datetime) -> list[RenderedFile]:
    """Every stored document of the month: html, pdf and xlsx, in English and Chinese."""
    return [
        RenderedFile(
            fmt,
            lang,
            f"govern-monthly-{summary.month}-{lang}.{fmt}",
            FORMATS[fmt],
            monthly_document(summary, fmt, lang, generated_at),
        )
        for fmt in STORED
        for lang in LANGS
    ]
