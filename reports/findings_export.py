"""A findings list as CSV or JSON: exactly the rows a reader filtered, safe to open anywhere.

CSV cells that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, tab, CR:
OWASP's "CSV injection") are prefixed with an apostrophe, so a finding message written
by a vendor's code can never execute in an auditor's spreadsheet. Both writers stream:
an export of a hundred thousand findings never sits in memory as one list.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime

from governance.requirements.tables import spreadsheet_safe
from governance.scans.models import Finding, Waiver
from governance.timeutil import as_utc

COLUMNS: tuple[str, ...] = (
    "id",
    "severity",
    "standard",
    "rule",
    "tool_rule",
    "path",
    "line",
    "message",
    "state",
    "first_seen",
    "fingerprint",
    "waived",
    "waiver_kind",
    "waiver_by",
    "waiver_reason",
    "waiver_until",
)


def neutralise(value: object) -> str:
    """A cell's text with a leading apostrophe when a spreadsheet would treat it as a formula
    (Govern's one neutraliser, :func:`governance.requirements.tables.spreadsheet_safe`)."""
    return spreadsheet_safe("" if value is None else str(value))


def _when(value: datetime | None) -> str | None:
    return as_utc(value).isoformat() if value is not None else None


def finding_record(finding: Finding, waiver: Waiver | None) -> dict[str, object]:
    """One finding as an export row (the same keys in CSV and JSON)."""
    return {
        "id": finding.id,
        "severity": finding.severity,
        "standard": finding.standard,
        "rule": finding.standard_rule or finding.rule,
        "tool_rule": finding.rule,
        "path": finding.path,
        "line": finding.line,
        "message": finding.message,
        "state": str(finding.state),
        "first_seen": _when(finding.first_seen_at),
        "fingerprint": finding.fingerprint,
        "waived": finding.waived,
        "waiver_kind": str(waiver.kind) if waiver else None,
        "waiver_by": (waiver.approver or waiver.requested_by) if waiver else None,
        "waiver_reason": waiver.reason if waiver else None,
        "waiver_until": _when(waiver.expires_at) if waiver else None,
    }


def csv_chunks(records: Iterable[Mapping[str, object]]) -> Iterator[str]:
    """The records as CSV text (header first, UTF-8 BOM so spreadsheets read Chinese right)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(COLUMNS)
    for record in records:
        writer.writerow([neutralise(record.get(column)) for column in COLUMNS])
        if buffer.tell() > 64_000:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def json_chunks(records: Iterable[Mapping[str, object]], *, meta: Mapping[str, object]) -> Iterator[str]:
    """``{"meta": …, "findings": [...]}`` written record by record."""
    yield '{"meta": ' + json.dumps(dict(meta), ensure_ascii=False) + ', "findings": ['
    for index, record in enumerate(records):
        yield ("," if index else "") + "\n" + json.dumps(dict(record), ensure_ascii=False)
    yield "\n]}\n"
