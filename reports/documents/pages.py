"""HTML (and through it PDF) of each report: summaries, charts and the top findings only.

A page never lists a million rows: findings are the report's ``top`` (most severe, open),
the matrix its first :data:`MATRIX_LIMIT` requirements; the tables' downloads hold the rest.
"""

from __future__ import annotations

from typing import Any

from governance.reporting.values import ModuleReport, PortfolioReport, Report, ScanReport, VendorReport
from reports.render.html import render_html
from reports.render.i18n import Lang, translations
from scanners.base import SEVERITIES

MATRIX_LIMIT = 500


def _labels(lang: Lang) -> dict[str, str]:
    _ = translations(lang).gettext
    return {severity: _(severity) for severity in SEVERITIES}


def _module_context(report: ModuleReport) -> dict[str, Any]:
    points = [(f"#{s.header.id}", s.verdict.score) for s in report.history]
    return {"history_points": points, "matrix_limit": MATRIX_LIMIT}


def _many_context(report: VendorReport | PortfolioReport, lang: Lang) -> dict[str, Any]:
    _ = translations(lang).gettext
    scanned = [line.latest for line in report.modules if line.latest is not None]
    if isinstance(report, VendorReport):
        heading, vendors = _("Vendor report") + " · " + report.vendor, None
    else:
        heading, vendors = _("Portfolio report"), report.vendors
    return {
        "heading": heading,
        "vendors": vendors,
        "scanned": len(scanned),
        "passed": sum(1 for summary in scanned if summary.verdict.passed),
        "lines": sum(line.lines_of_code for line in report.modules),
        "score_bars": [(summary.header.module, summary.verdict.score or 0.0) for summary in scanned],
    }


def html(report: Report, *, lang: Lang) -> str:
    """The report as one standalone HTML page in ``lang``."""
    context: dict[str, Any] = {"report": report, "labels": _labels(lang)}
    if isinstance(report, ScanReport):
        return render_html("scan.html", context, lang=lang)
    if isinstance(report, ModuleReport):
        return render_html("module.html", context | _module_context(report), lang=lang)
    return render_html("many.html", context | _many_context(report, lang), lang=lang)
