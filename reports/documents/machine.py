"""The report as JSON (schema ``reports/schemas/report.v1.json``) and as SARIF 2.1.0.

JSON: ``{"$schema", "schema_version", "kind", "meta", <the report's small parts>, "findings": [...]}``
with findings streamed last. SARIF: one run, the gate verdicts and conditions in its
``properties`` (``verdicts``: module → verdict), findings as results.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields
from typing import Any

from governance.reporting.values import FindingStream, ModuleReport, Report, ScanReport
from reports.render.i18n import Lang
from reports.render.jsondoc import json_chunks, plain
from scanners.registry import installed_rules

SCHEMA_ID = "https://govern.example/schemas/report.v1.json"
SCHEMA_FILE = "report.v1.json"
SCHEMA_VERSION = 1
VERSION = "0.1.0"


def findings_of(report: Report) -> FindingStream:
    """The findings a report holds (a module report: those of its latest scan)."""
    if isinstance(report, ModuleReport):
        return report.latest.findings if report.latest else FindingStream.of(())
    return report.findings


def json_text(report: Report) -> Iterator[str]:
    """The report as JSON text chunks."""
    head: dict[str, Any] = {"$schema": SCHEMA_ID, "schema_version": SCHEMA_VERSION, "kind": report.meta.kind}
    for item in fields(report):
        value = getattr(report, item.name)
        if isinstance(value, FindingStream):
            continue
        if isinstance(value, ScanReport):
            head[item.name] = {
                f.name: plain(getattr(value, f.name))
                for f in fields(value)
                if f.name not in {"findings", "meta"}
            }
        else:
            head[item.name] = plain(value)
    stream = findings_of(report)
    head["findings_count"] = stream.count
    return json_chunks(head, {"findings": iter(stream)})


def _verdicts(report: Report) -> dict[str, Any]:
    if isinstance(report, ScanReport):
        return {report.scan.header.module: plain(report.scan.verdict) | {"scan": report.scan.header.id}}
    if isinstance(report, ModuleReport):
        latest = report.latest
        return {report.module: plain(latest.scan.verdict) | {"scan": latest.scan.header.id}} if latest else {}
    return {
        line.module: plain(line.latest.verdict) | {"scan": line.latest.header.id}
        for line in report.modules
        if line.latest is not None
    }


def sarif_text(report: Report, *, lang: Lang) -> Iterator[str]:
    """The report's findings as a SARIF 2.1.0 log."""
    # The SARIF renderer brings sarif-pydantic's object model: imported when a SARIF log is
    # written, not whenever `govern` (whose report commands reach this module) starts.
    from reports.render.sarif import SarifInput, sarif_chunks

    stream = findings_of(report)
    properties = {
        "govern": {
            "kind": report.meta.kind,
            "subject": report.meta.title,
            "generatedAt": plain(report.meta.generated_at),
        },
        "verdicts": _verdicts(report),
    }
    data = SarifInput(rule_ids=stream.rules, findings=stream, properties=properties, version=VERSION)
    return sarif_chunks(data, catalogue=installed_rules(), lang=lang)
