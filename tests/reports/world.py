"""A fixed small world of report values (no database): the goldens are rendered from it.

Two modules of one vendor, one scan each; findings with Chinese text, a formula payload and
a waived false positive; fixed times, so every format renders the same bytes every run
(PDF and XLSX are compared through their extracted text and cells).
"""

from __future__ import annotations

from datetime import UTC, datetime

from governance.reporting.values import (
    FindingRow,
    FindingStream,
    ModuleLine,
    PortfolioReport,
    ReportMeta,
    RuleRow,
    ScanHeader,
    ScanReport,
    ScanSummary,
    StandardRow,
    Verdict,
    WaiverRow,
)
from governance.requirements.matrix import Coverage
from standards.results import GateCondition

WHEN = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
FORMULA = '=HYPERLINK("http://evil.example","click")'
CHINESE = "硬编码的数据库口令"

CONDITIONS = (
    GateCondition("overall.score", "overall", "score", 72.5, 70.0, ">=", True),
    GateCondition("new.blocker", "new", "findings", 1.0, 0.0, "<=", False, None, "blocker"),
)


def finding(module: str, index: int, **changes: object) -> FindingRow:
    values: dict[str, object] = {
        "module": module,
        "scan_id": 7 if module == "BUD" else 8,
        "rule": "bandit:B105" if index % 2 else "pylint:W0611",
        "standard_rule": "DEV-004" if index % 2 else None,
        "standard": "development",
        "tool": "bandit" if index % 2 else "pylint",
        "severity": ("blocker", "major", "minor")[index % 3],
        "path": f"src/budget/part{index}.py",
        "line": index + 1,
        "end_line": index + 1,
        "message": f"finding {index}",
        "fingerprint": f"{module.lower()}{index:060d}",
        "state": "new" if index % 2 else "persisting",
        "first_seen": WHEN,
    }
    values.update(changes)
    return FindingRow(**values)  # type: ignore[arg-type]


WAIVED = finding(
    "BUD",
    3,
    message=CHINESE,
    waived=True,
    waiver_kind="false_positive",
    waiver_by="pm-li",
    waiver_reason="测试数据，不是真实口令",
    waiver_until=datetime(2027, 3, 1, tzinfo=UTC),
)
BUD_FINDINGS = (finding("BUD", 0), finding("BUD", 1, message=FORMULA), finding("BUD", 2), WAIVED)
TAX_FINDINGS = (finding("TAX", 0), finding("TAX", 1))
WAIVER = WaiverRow(
    11,
    "BUD",
    "false_positive",
    WAIVED.fingerprint,
    "测试数据，不是真实口令",
    "dev-wang",
    "pm-li",
    WHEN,
    datetime(2027, 3, 1, tzinfo=UTC),
)
RULES = (
    RuleRow(
        "BUD",
        "DEV-004",
        "development",
        "blocker",
        "fail",
        1.0,
        0.0,
        "<=",
        1,
        {"en": "No hard-coded secrets", "zh-CN": "禁止硬编码密钥"},
    ),
    RuleRow("BUD", "DEV-001", "development", "major", "pass", 9.1, 8.0, ">=", None, {"en": "pylint score"}),
)


def summary(module: str, scan_id: int, passed: bool) -> ScanSummary:
    header = ScanHeader(
        scan_id,
        module,
        "Acme 软件",
        "c0ffee" * 6 + "abcd",
        "main",
        "default",
        "d" * 64,
        "complete",
        WHEN,
        WHEN,
        2,
    )
    verdict = Verdict(passed, passed, 72.5 if passed else 55.0, "B" if passed else "C", CONDITIONS)
    standards = (StandardRow("development", 72.5, "B", 1), StandardRow("data", None, None, 0))
    return ScanSummary(header, verdict, standards, {"blocker": 1, "major": 1}, 4, 1)


def meta(kind: str, title: str, scope: str = "all") -> ReportMeta:
    return ReportMeta(kind, title, WHEN, "auditor-zhao", scope)  # type: ignore[arg-type]


def scan_report() -> ScanReport:
    return ScanReport(
        meta("scan", "BUD #7"),
        summary("BUD", 7, False),
        RULES,
        (WAIVER,),
        BUD_FINDINGS[:3],
        FindingStream.of(BUD_FINDINGS),
    )


def portfolio_report() -> PortfolioReport:
    coverage = Coverage("BUD", requirements=12, approved_or_later=10, with_code=8, with_tests=5, verified=4)
    lines = (
        ModuleLine("BUD", "Acme 软件", 120_000, summary("BUD", 7, False), coverage),
        ModuleLine("TAX", "Acme 软件", 80_000, summary("TAX", 8, True), Coverage("TAX")),
        ModuleLine("NEW", "Acme 软件", 0, None, Coverage("NEW")),
    )
    return PortfolioReport(
        meta=meta("portfolio", "portfolio"),
        vendors=("Acme 软件",),
        modules=lines,
        severities={"blocker": 2, "major": 2},
        rules=RULES[:1],
        waivers=(WAIVER,),
        top=(BUD_FINDINGS[0], TAX_FINDINGS[0]),
        findings=FindingStream.of(BUD_FINDINGS + TAX_FINDINGS),
    )
