"""A scorecard board as XLSX (for the PM's own spreadsheet), PDF (to send), HTML or JSON.

The board is already scoped to its reader (a vendor's board holds its own card only), so a
document never holds more than its reader may see.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

from governance.scorecards.jsonview import board_json
from governance.scorecards.values import SIX, Ratio, Scorecard, ScorecardBoard
from reports.render.formats import chosen
from reports.render.html import render_html
from reports.render.i18n import Lang, translations
from reports.render.pdf import html_to_pdf
from reports.render.tables import Sheet, xlsx_bytes

FORMATS: dict[str, str] = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
    "json": "application/json",
}


def format_of(text: str) -> str:
    return chosen(text, tuple(FORMATS))


def _html(board: ScorecardBoard, lang: Lang) -> str:
    return render_html("scorecard.html", {"board": board, "standards": SIX}, lang=lang)


def _ratio(ratio: Ratio, na: str) -> float | str:
    return na if ratio.percent is None else ratio.percent


def _ranking_rows(board: ScorecardBoard, na: str) -> Iterator[list[object]]:
    for card in board.cards:
        f = card.figures
        yield [
            card.standing.rank if card.standing.rank is not None else na,
            board.vendor_count,
            card.vendor,
            card.standing.composite if card.standing.composite is not None else na,
            card.change.composite,
            card.change.rank,
            f.scans.overall if f.scans.overall is not None else na,
            *[f.scans.scores[s] if f.scans.scores[s] is not None else na for s in SIX],
            f.scans.scans,
            _ratio(f.scans.gate, na),
            f.scans.findings_opened,
            f.scans.findings_fixed,
            f.scans.median_days_to_fix if f.scans.median_days_to_fix is not None else na,
            f.delivery.delivered,
            f.delivery.open_at_end,
            _ratio(f.delivery.delivery, na),
            _ratio(f.delivery.sla, na),
            f.mirrors.stalest_hours if f.mirrors.stalest_hours is not None else na,
            ", ".join(f.mirrors.never_synced),
            f.mirrors.push_refusals,
        ]


def _module_rows(cards: tuple[Scorecard, ...]) -> Iterator[list[object]]:
    for card in cards:
        for m in card.figures.scans.modules:
            yield [
                card.vendor,
                m.module,
                m.scan_id,
                m.scanned_at,
                m.score,
                m.gate_passed,
                *[m.standards.get(s) for s in SIX],
            ]


def _tool_rows(cards: tuple[Scorecard, ...]) -> Iterator[list[object]]:
    for card in cards:
        for tool, versions in card.figures.scans.tool_versions.items():
            yield [card.vendor, tool, ", ".join(versions)]


def _sheets(board: ScorecardBoard, lang: Lang) -> list[Sheet]:
    _ = translations(lang).gettext
    na = _("n/a")
    ranking_header = [
        _("Rank"), _("Vendors"), _("Vendor"), _("Composite"), _("Composite change"), _("Rank change"),
        _("Overall score"), *[_(s) for s in SIX], _("Scans counted"), _("Gate pass rate %"),
        _("Findings opened"), _("Findings fixed"), _("Median days to fix"), _("Requirements delivered"),
        _("Open at quarter end"), _("Requirement delivery %"), _("SLA adherence %"),
        _("Mirror freshness (stalest, hours)"), _("Never synced"), _("Push refusals"),
    ]  # fmt: skip
    modules_header = [
        _("Vendor"),
        _("Module"),
        _("Scan counted"),
        _("Scanned at"),
        _("Overall score"),
        _("Gate"),
        *[_(s) for s in SIX],
    ]
    return [
        Sheet(f"{board.quarter} {_('Ranking')}", ranking_header, list(_ranking_rows(board, na))),
        Sheet(_("Modules"), modules_header, list(_module_rows(board.cards))),
        Sheet(_("Tool versions"), [_("Vendor"), _("Tool"), _("Versions")], list(_tool_rows(board.cards))),
    ]


_WRITERS: dict[str, Callable[[ScorecardBoard, Lang], bytes]] = {
    "html": lambda board, lang: _html(board, lang).encode(),
    "pdf": lambda board, lang: html_to_pdf(_html(board, lang)),
    "xlsx": lambda board, lang: xlsx_bytes(_sheets(board, lang)),
    "json": lambda board, _lang: json.dumps(board_json(board), ensure_ascii=False, indent=2).encode(),
}


def scorecard_document(board: ScorecardBoard, fmt: str, lang: Lang) -> bytes:
    """The board in ``fmt`` (xlsx, pdf, html, json) and ``lang``."""
    return _WRITERS[format_of(fmt)](board, lang)


def filename(board: ScorecardBoard, fmt: str, vendor: str | None = None) -> str:
    suffix = f"-{vendor}" if vendor else ""
    return f"govern-scorecards-{board.quarter}{suffix}.{fmt}"
