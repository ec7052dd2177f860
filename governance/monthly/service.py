"""Generate, list and fetch monthly reports; each generation and download is an audit event.

Reading them is for those who see every vendor (PMs, auditors, admins: the report names every
vendor's modules); generating one by hand is for PMs and admins; vendors get neither.
Documents are rendered by a callable the composition root injects (``governance`` never
imports ``reports``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from governance import access, audit
from governance.errors import Conflict, InvalidInput, NotFound, said
from governance.modeltypes import row_id
from governance.monthly.figures import month_summary
from governance.monthly.models import MonthlyReport, MonthlyReportFile
from governance.monthly.values import MonthlySummary, RenderedFile
from governance.registry.models import User
from governance.scorecards.periods import Period, parse_month
from governance.timeutil import as_utc

#: Renders a summary (generated at the given time) into the documents to store.
Renderer = Callable[[MonthlySummary, datetime], Sequence[RenderedFile]]
JSON_MEDIA = "application/json"


def find_report(session: Session, month: str) -> MonthlyReport | None:
    return session.exec(select(MonthlyReport).where(MonthlyReport.month == month)).first()


def generate(
    session: Session, *, period: Period, renderer: Renderer, actor: str, now: datetime
) -> MonthlyReport | None:
    """Compute, render and store ``period``'s report in the caller's transaction; None if it exists.

    The row is flushed first, in a savepoint: with several generators (schedulers, a PM by
    hand), the unique month lets one insert win; the others get None before they render
    anything, their transaction intact.
    """
    if now < period.end:
        raise said(InvalidInput, "the month %(month)s is not over yet", month=period.label)
    if find_report(session, period.label) is not None:
        return None
    report = MonthlyReport(month=period.label, generated_at=now, generated_by=actor)
    try:
        with session.begin_nested():
            session.add(report)
            session.flush()
    except sa.exc.IntegrityError:
        return None  # another generator inserted the month after our look
    summary = month_summary(session, period=period)
    report.summary = summary.to_json()
    files = list(renderer(summary, now))
    for rendered in files:
        session.add(_file_row(row_id(report), rendered))
    audit.record(
        session,
        actor=actor,
        action="report.monthly.generate",
        target_type="monthly_report",
        target_id=period.label,
        data={"files": sorted(f"{f.format}:{f.lang}" for f in files), "scans": summary.scans},
    )
    return report


def _file_row(report_id: int, rendered: RenderedFile) -> MonthlyReportFile:
    return MonthlyReportFile(
        report_id=report_id,
        format=rendered.format,
        lang=rendered.lang,
        filename=rendered.filename,
        media_type=rendered.media_type,
        size=len(rendered.content),
        sha256=hashlib.sha256(rendered.content).hexdigest(),
        content=rendered.content,
    )


def generate_by_hand(
    session: Session, *, user: User, month: str, renderer: Renderer, now: datetime
) -> MonthlyReport:
    """A PM or admin generates a month's report now (the scheduler does it on the 1st)."""
    access.require(access.can_manage(user), "generate a monthly report")
    period = parse_month(month)
    report = generate(session, period=period, renderer=renderer, actor=user.name, now=now)
    if report is None:
        raise said(Conflict, "the report of %(month)s exists already", month=period.label)
    return report


def list_reports(session: Session, *, user: User) -> list[tuple[MonthlyReport, list[MonthlyReportFile]]]:
    """Every stored report, newest month first, with its documents (content not needed: deferred)."""
    access.require(access.can_see_all_vendors(user), "read monthly reports")
    reports = session.exec(select(MonthlyReport).order_by(col(MonthlyReport.month).desc())).all()
    files = session.exec(
        select(MonthlyReportFile).order_by(col(MonthlyReportFile.format), col(MonthlyReportFile.lang))
    ).all()
    by_report: dict[int, list[MonthlyReportFile]] = {}
    for row in files:
        by_report.setdefault(row.report_id, []).append(row)
    return [(r, by_report.get(row_id(r), [])) for r in reports]


def readable_report(session: Session, *, user: User, month: str) -> MonthlyReport:
    access.require(access.can_see_all_vendors(user), "read monthly reports")
    report = find_report(session, parse_month(month).label)
    if report is None:
        raise said(NotFound, "no monthly report for %(month)s", month=month)
    return report


def _json_document(report: MonthlyReport) -> RenderedFile:
    content = json.dumps(
        {
            "schema": "govern.monthly-report.v1",
            "generated_at": as_utc(report.generated_at).isoformat(),
            **report.summary,
        },
        ensure_ascii=False,
        indent=2,
    ).encode()
    return RenderedFile("json", "und", f"govern-monthly-{report.month}.json", JSON_MEDIA, content)


def download(session: Session, *, user: User, month: str, fmt: str, lang: str, via: str) -> RenderedFile:
    """One stored document (``json``: the figures), recorded as a download."""
    report = readable_report(session, user=user, month=month)
    if fmt == "json":
        document = _json_document(report)
    else:
        row = session.exec(
            select(MonthlyReportFile).where(
                MonthlyReportFile.report_id == report.id,
                MonthlyReportFile.format == fmt,
                MonthlyReportFile.lang == lang,
            )
        ).first()
        if row is None:
            raise said(
                NotFound,
                "the report of %(month)s has no %(fmt)s in %(lang)s",
                month=month,
                fmt=fmt,
                lang=lang,
            )
        document = RenderedFile(row.format, row.lang, row.filename, row.media_type, row.content)
    audit.record(
        session,
        actor=user.name,
        action="report.monthly.download",
        target_type="monthly_report",
        target_id=report.month,
        data={"format": fmt, "lang": lang, "via": via},
    )
    return document
