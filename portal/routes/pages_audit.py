"""The audit trail as a page (admins and auditors): filters, labels, links, CSV export, chain status."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, time, timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from governance import access, audit
from governance.timeutil import parse_day
from portal.deps import CurrentUser, DbSession
from portal.services import audit_view
from portal.templating import render
from reports.findings_export import neutralise

router = APIRouter(include_in_schema=False)
PAGE = 100
Text = Annotated[str | None, Query(max_length=200)]


def _day(text: str | None, *, end: bool = False) -> datetime | None:
    day = parse_day(text)
    if day is None:
        return None
    return datetime.combine(day + timedelta(days=1) if end else day, time(), tzinfo=UTC)


def _filter(
    actor: str | None,
    action: str | None,
    target: str | None,
    since: str | None,
    until: str | None,
    reads: bool,
) -> audit_view.AuditFilter:
    return audit_view.AuditFilter(
        actor=actor or None,
        action=action or None,
        target=target or None,
        since=_day(since),
        until=_day(until, end=True),
        reads_only=reads,
    )


@router.get("/audit")
def audit_page(
    request: Request,
    session: DbSession,
    user: CurrentUser,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    reads: Annotated[bool, Query(description="Only source access: who read which module")] = False,
    actor: Text = None,
    action: Text = None,
    target: Text = None,
    since: Text = None,
    until: Text = None,
) -> Response:
    chosen = _filter(actor, action, target, since, until, reads)
    rows, total = audit_view.page_events(
        session, user=user, chosen=chosen, limit=PAGE, offset=(page - 1) * PAGE
    )
    return render(
        request,
        "audit/index.html",
        {
            "events": rows,
            "total": total,
            "page": page,
            "pages": max(1, -(-total // PAGE)),
            "reads": reads,
            "chosen": chosen,
            "query": chosen.query_params(),
            "labels": audit_view.ACTION_LABELS,
            "link": audit_view.target_link,
            "verification": audit_view.verification(session),
            "actors": audit_view.actors(session),
        },
        user=user,
    )


@router.get("/audit/export.csv")
def audit_export(
    session: DbSession,
    user: CurrentUser,
    reads: bool = False,
    actor: Text = None,
    action: Text = None,
    target: Text = None,
    since: Text = None,
    until: Text = None,
) -> Response:
    """The filtered trail as CSV (cells a spreadsheet would run as formulas neutralised); an audit event."""
    access.require(access.can_read_audit(user), "export the audit trail")
    chosen = _filter(actor, action, target, since, until, reads)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(audit_view.EXPORT_COLUMNS)
    count = 0
    for e in audit_view.export_rows(session, user=user, chosen=chosen):
        data = json.dumps(e.data, sort_keys=True, ensure_ascii=False)
        values = (e.seq, e.at.isoformat(), e.actor, e.action, e.target_type, e.target_id, data, e.hash)
        writer.writerow([neutralise(v) for v in values])
        count += 1
    audit.record(
        session,
        actor=user.name,
        action="audit.export",
        target_type="audit",
        target_id="trail",
        data={"filter": chosen.query_params(), "events": count},
    )
    session.commit()
    return Response(
        "\ufeff" + out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="audit-trail.csv"'},
    )
