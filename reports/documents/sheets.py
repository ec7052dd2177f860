"""The tables of each document, for CSV (one table) and XLSX (all of them, a sheet each).

Tables are named by a stable key (``findings``, ``rules``, ``conditions``, ``waivers``,
``history``, ``matrix``, ``modules``); their headers are written in the document's language.
The findings table is a generator over the report's stream: a million rows pass through
once, never held.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence, Sized

from governance.errors import InvalidInput, said
from governance.reporting.values import (
    FindingRow,
    FindingStream,
    ModuleLine,
    ModuleReport,
    PortfolioReport,
    Report,
    RuleRow,
    ScanReport,
    ScanSummary,
    Verdict,
    WaiverRow,
)
from governance.requirements.matrix import TraceMatrix
from reports.render.tables import Sheet
from scanners.wording import in_language

Gettext = Callable[[str], str]


def _findings(_: Gettext, rows: Iterable[FindingRow], *, worded: bool) -> Sheet:
    """The findings; with ``worded`` (a workbook a person reads) a message Govern wrote is in
    the document's language, else (CSV, a machine face) the stored English."""
    header = [
        _("Module"),
        _("Scan"),
        _("Severity"),
        _("Standard"),
        _("Standard rule"),
        _("Rule"),
        _("Tool"),
        _("Path"),
        _("Line"),
        _("Message"),
        _("State"),
        _("First seen"),
        _("Fingerprint"),
        _("Waived"),
        _("Waiver kind"),
        _("Waived by"),
        _("Waiver reason"),
        _("Waived until"),
    ]

    def body() -> Iterator[Sequence[object]]:
        for f in rows:
            yield (
                f.module,
                f.scan_id,
                f.severity,
                f.standard,
                f.standard_rule,
                f.rule,
                f.tool,
                f.path,
                f.line,
                in_language(f.message, f.message_wording, _) if worded else f.message,
                f.state,
                f.first_seen,
                f.fingerprint,
                f.waived,
                f.waiver_kind,
                f.waiver_by,
                f.waiver_reason,
                f.waiver_until,
            )

    count = rows.count if isinstance(rows, FindingStream) else len(rows) if isinstance(rows, Sized) else None
    return Sheet(_("Findings"), header, body(), count=count)


def _rules(_: Gettext, rules: Sequence[RuleRow], lang: str) -> Sheet:
    header = [
        _("Module"),
        _("Rule"),
        _("Title"),
        _("Standard"),
        _("Severity"),
        _("Status"),
        _("Measured"),
        _("Comparison"),
        _("Threshold"),
        _("Count"),
    ]
    rows = [
        (
            r.module,
            r.rule,
            r.title.get(lang) or r.title.get("en", ""),
            r.standard,
            r.severity,
            r.status,
            r.measured,
            r.comparison,
            r.threshold,
            r.count,
        )
        for r in rules
    ]
    return Sheet(_("Rules"), header, rows)


def _conditions(_: Gettext, module: str, verdict: Verdict) -> Sheet:
    header = [
        _("Module"),
        _("Condition"),
        _("Scope"),
        _("Metric"),
        _("Measured"),
        _("Comparison"),
        _("Threshold"),
        _("Passed"),
    ]
    rows = [
        (module, c.id, c.scope, c.metric, c.measured, c.comparison, c.threshold, c.passed)
        for c in verdict.conditions
    ]
    return Sheet(_("Gate conditions"), header, rows)


def _waivers(_: Gettext, waivers: Sequence[WaiverRow]) -> Sheet:
    header = [
        _("Waiver"),
        _("Module"),
        _("Kind"),
        _("Target"),
        _("Reason"),
        _("Requested by"),
        _("Approved by"),
        _("Decided at"),
        _("Waived until"),
    ]
    rows = [
        (w.id, w.module, w.kind, w.target, w.reason, w.requested_by, w.approver, w.decided_at, w.expires_at)
        for w in waivers
    ]
    return Sheet(_("Waivers"), header, rows)


def _summary_cells(s: ScanSummary | None) -> tuple[object, ...]:
    if s is None:
        return (None,) * 9
    return (
        s.header.id,
        s.header.commit,
        s.header.finished_at,
        s.verdict.passed,
        s.verdict.new_code_passed,
        s.verdict.score,
        s.verdict.level,
        s.findings,
        s.waived,
    )


def _summary_header(_: Gettext) -> list[str]:
    return [
        _("Scan"),
        _("Commit"),
        _("Finished"),
        _("Gate passed"),
        _("New code passed"),
        _("Score"),
        _("Level"),
        _("Findings"),
        _("Waived"),
    ]


def _history(_: Gettext, history: Sequence[ScanSummary]) -> Sheet:
    return Sheet(_("History"), _summary_header(_), [_summary_cells(s) for s in history])


def _modules(_: Gettext, lines: Sequence[ModuleLine]) -> Sheet:
    header = [
        _("Module"),
        _("Vendor"),
        _("Lines of code"),
        *_summary_header(_),
        _("Requirements"),
        _("With code (%)"),
        _("With tests (%)"),
        _("Verified (%)"),
    ]
    rows = [
        (
            m.module,
            m.vendor,
            m.lines_of_code,
            *_summary_cells(m.latest),
            m.coverage.requirements,
            m.coverage.code_pct,
            m.coverage.tests_pct,
            m.coverage.verified_pct,
        )
        for m in lines
    ]
    return Sheet(_("Modules"), header, rows)


def _matrix(_: Gettext, matrix: TraceMatrix) -> Sheet:
    header = [
        _("Requirement"),
        _("Title"),
        _("Status"),
        _("Priority"),
        _("Commits"),
        _("Files"),
        _("Tests"),
        _("Verification"),
        _("Coverage (%)"),
        _("Parent"),
        _("Flagged by"),
    ]
    rows = [
        (
            r.key,
            r.title,
            r.status,
            r.priority,
            r.commits,
            r.files,
            r.tests,
            r.verification,
            r.coverage_pct,
            r.parent,
            r.flagged_by,
        )
        for r in matrix.rows
    ]
    return Sheet(_("Traceability"), header, rows)


def sheets(report: Report, _: Gettext, lang: str, *, worded: bool = True) -> dict[str, Sheet]:
    """The document's tables by key, findings first (CSV's default); ``worded``: see :func:`_findings`."""
    if isinstance(report, ScanReport):
        return {
            "findings": _findings(_, report.findings, worded=worded),
            "rules": _rules(_, report.rules, lang),
            "conditions": _conditions(_, report.scan.header.module, report.scan.verdict),
            "waivers": _waivers(_, report.waivers),
        }
    if isinstance(report, ModuleReport):
        latest = report.latest
        tables = {
            "findings": _findings(_, latest.findings if latest else (), worded=worded),
            "rules": _rules(_, latest.rules if latest else (), lang),
            "history": _history(_, report.history),
            "matrix": _matrix(_, report.matrix),
            "waivers": _waivers(_, latest.waivers if latest else ()),
        }
        if latest:
            tables["conditions"] = _conditions(_, report.module, latest.scan.verdict)
        return tables
    assert isinstance(report, PortfolioReport) or report.meta.kind == "vendor"
    return {
        "findings": _findings(_, report.findings, worded=worded),
        "modules": _modules(_, report.modules),
        "rules": _rules(_, report.rules, lang),
        "waivers": _waivers(_, report.waivers),
    }


def chosen(report: Report, _: Gettext, lang: str, table: str | None) -> Sheet:
    """The one table a CSV holds (``findings`` unless ``table`` names another); its messages
    stay the stored English, as in JSON and SARIF."""
    tables = sheets(report, _, lang, worded=False)
    key = table or "findings"
    if key not in tables:
        raise said(
            InvalidInput,
            "unknown table %(key)s for a %(kind_name)s report: choose %(tables)s",
            key=repr(key),
            kind_name=report.meta.kind,
            tables=", ".join(tables),
        )
    return tables[key]
