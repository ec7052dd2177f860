"""Findings as SARIF 2.1.0, built with the ``sarif-pydantic`` object model, streamed.

One run per document, its driver Govern. ``tool.driver.rules`` holds every rule the findings
use, with title, rationale and how to fix as the scanners declared them
(:mod:`scanners.rules`); each result carries its fingerprint in ``partialFingerprints``, its
tracking state as ``baselineState``, and — when a waiver sets it aside — a ``suppression``
(``external``, accepted, with the waiver's reason, approver and expiry). The gate verdict
and every condition go in the run's ``properties``.

The run is built as an object without its results, serialised, and the results (each a
``Result`` object dumped alone) are written into its ``results`` array one by one: a million
findings never exist as one object tree. :func:`problems` checks a log against the official
schema shipped in ``reports/schemas/sarif-schema-2.1.0.json``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sarif_pydantic import (
    ArtifactLocation,
    Level,
    Location,
    Message,
    PhysicalLocation,
    Region,
    ReportingConfiguration,
    ReportingDescriptor,
    Result,
    Run,
    Sarif,
    Tool,
    ToolDriver,
)
from sarif_pydantic.sarif import Suppression

from governance.reporting.values import FindingRow
from reports.render.i18n import Lang
from reports.render.jsondoc import plain
from reports.render.jsondoc import problems as schema_problems
from scanners.rules import RuleCatalogue

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SCHEMA_FILE = "sarif-schema-2.1.0.json"
FINGERPRINT_KEY = "governFingerprint/v1"
LEVELS = {"blocker": "error", "critical": "error", "major": "warning", "minor": "note", "info": "note"}
BASELINE = {"new": "new", "persisting": "unchanged", "fixed": "absent"}


@dataclass(frozen=True)
class SarifInput:
    """What one SARIF log holds: the rules used, the findings, and run properties (the verdict)."""

    rule_ids: Sequence[str]
    findings: Iterable[FindingRow]
    properties: Mapping[str, Any] = field(default_factory=dict)
    version: str = "0"
    information_uri: str = "https://govern.example/"


def _descriptor(rule_id: str, catalogue: RuleCatalogue, lang: Lang) -> ReportingDescriptor:
    doc = catalogue.get(rule_id)
    if doc is None:
        return ReportingDescriptor(id=rule_id, short_description=Message(text=rule_id))
    fix, rationale = doc.text("fix", lang), doc.text("rationale", lang)
    return ReportingDescriptor(
        id=rule_id,
        name=doc.scanner,
        short_description=Message(text=doc.text("title", lang)),
        full_description=Message(text=rationale) if rationale else None,
        help=Message(text=fix or rationale or doc.text("title", lang)),
        default_configuration=ReportingConfiguration(level=LEVELS.get(doc.severity, "warning")),
        properties={"severity": doc.severity, "scanner": doc.scanner},
    )


def _location(row: FindingRow) -> Location:
    region = Region(start_line=row.line, end_line=max(row.line, row.end_line)) if row.line >= 1 else None
    return Location(
        physical_location=PhysicalLocation(
            artifact_location=ArtifactLocation(uri=row.path, uri_base_id=row.module), region=region
        )
    )


def _suppression(row: FindingRow) -> Suppression | None:
    if not row.waived:
        return None
    return Suppression(
        kind="external",
        status="accepted",
        justification=row.waiver_reason or "",
        properties=_bag(
            {"waiverKind": row.waiver_kind, "approvedBy": row.waiver_by, "expires": row.waiver_until}
        ),
    )


def result(row: FindingRow, index: Mapping[str, int]) -> Result:
    """One finding as a SARIF ``result``."""
    suppression = _suppression(row)
    return Result(
        rule_id=row.rule,
        rule_index=index.get(row.rule),
        level=Level(LEVELS.get(row.severity, "warning")),
        message=Message(text=row.message or row.rule),
        locations=[_location(row)],
        partial_fingerprints={FINGERPRINT_KEY: row.fingerprint},
        # SARIF's ``suppressions`` and ``baselineState``: the library's model lacks them, and
        # takes them as extra fields under their SARIF names.
        suppressions=[suppression] if suppression else None,
        baselineState=BASELINE.get(row.state),
        properties=_bag(
            {
                "module": row.module,
                "scan": row.scan_id,
                "severity": row.severity,
                "standard": row.standard,
                "standardRule": row.standard_rule,
                "tool": row.tool,
                "firstSeen": row.first_seen,
            }
        ),
    )


def _bag(values: Mapping[str, Any]) -> dict[str, Any]:
    """A SARIF property bag: JSON-ready, empty values left out."""
    bag: dict[str, Any] = plain({key: value for key, value in values.items() if value is not None})
    return bag


def _dump(model: Any) -> dict[str, Any]:
    dumped: dict[str, Any] = model.model_dump(mode="json", by_alias=True, exclude_none=True)
    return dumped


def sarif_chunks(data: SarifInput, *, catalogue: RuleCatalogue, lang: Lang) -> Iterator[str]:
    """The SARIF log as text chunks (the results array streamed)."""
    rule_ids = sorted(set(data.rule_ids))
    index = {rule_id: position for position, rule_id in enumerate(rule_ids)}
    driver = ToolDriver(
        name="Govern",
        version=data.version,
        information_uri=data.information_uri,
        rules=[_descriptor(rule_id, catalogue, lang) for rule_id in rule_ids],
    )
    run = Run(tool=Tool(driver=driver), results=[], properties=plain(dict(data.properties)), language=lang)
    log = _dump(Sarif(version="2.1.0", schema_uri=SCHEMA_URI, runs=[run]))
    text = json.dumps(log, ensure_ascii=False, sort_keys=True)
    head, marker, tail = text.partition('"results": []')
    if not marker:
        raise AssertionError("the run's results array is missing from the serialised log")
    yield head + '"results": ['
    for position, row in enumerate(data.findings):
        yield (
            ("," if position else "")
            + "\n"
            + json.dumps(_dump(result(row, index)), ensure_ascii=False, sort_keys=True)
        )
    yield "\n]" + tail + "\n"


def problems(log: Any) -> list[str]:
    """Where ``log`` breaks the official SARIF 2.1.0 schema (empty when valid)."""
    return schema_problems(log, SCHEMA_FILE)
