"""Reading a SARIF 2.1.0 log into plain results, refusing anything that is not one.

The file is validated whole against the official OASIS schema (shipped beside this module)
before it is read, then parsed with ``sarif-pydantic``'s object model. Each result becomes an
:class:`ImportedResult` (tool, rule, severity, where, message); where a result points is
left as the SARIF URI (with its ``uriBaseId`` resolved) for the importer to map onto the tree.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any, cast

import pydantic

from governance.errors import InvalidInput, said
from governance.invalid_input import what
from scanners.base import SEVERITIES, Severity
from scanners.imported import MAX_TOOL_NAME, MAX_TOOL_RULE

if TYPE_CHECKING:  # sarif-pydantic is imported by the parsing, not whenever `govern` starts
    import jsonschema
    from sarif_pydantic import ArtifactLocation, Location, ReportingDescriptor, Result, Run

VERSION = "2.1.0"
LEVELS: dict[str, Severity] = {"error": "major", "warning": "minor", "note": "info", "none": "info"}


@dataclass(frozen=True)
class ImportedResult:
    """One result of one tool, before it is placed in a commit's tree."""

    tool: str
    tool_version: str
    rule: str
    severity: Severity
    uri: str  # "" for a result about the whole project
    line: int
    end_line: int
    message: str

    def as_dict(self) -> dict[str, object]:
        return {
            "tool": self.tool,
            "tool_version": self.tool_version,
            "rule": self.rule,
            "severity": self.severity,
            "uri": self.uri,
            "line": self.line,
            "end_line": self.end_line,
            "message": self.message,
        }


@lru_cache(maxsize=1)
def _validator() -> jsonschema.Draft4Validator:
    """Imported here: jsonschema's import builds rfc3987-syntax's grammars (about 2 s), which
    every `govern` command and git hook would otherwise pay at start-up."""
    import jsonschema  # pylint: disable=import-outside-toplevel

    text = resources.files("governance.evidence").joinpath("sarif-schema-2.1.0.json").read_text("utf-8")
    return jsonschema.Draft4Validator(json.loads(text))


def _document(data: bytes, filename: str) -> Any:
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise said(
            InvalidInput, "%(filename)s: not a JSON file: %(error)s", filename=filename, error=str(exc)
        ) from None
    if not isinstance(document, dict):
        raise said(
            InvalidInput, "%(filename)s: not a SARIF log (the top level is not an object)", filename=filename
        )
    if document.get("version") != VERSION:
        raise said(
            InvalidInput,
            "%(filename)s: SARIF version %(found)s is not supported; use %(version)s",
            filename=filename,
            found=repr(document.get("version")),
            version=VERSION,
        )
    from jsonschema.exceptions import best_match  # pylint: disable=import-outside-toplevel  # see _validator

    error = best_match(_validator().iter_errors(document))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        raise said(
            InvalidInput,
            "%(filename)s: not valid SARIF %(version)s at %(where)s: %(message)s",
            filename=filename,
            version=VERSION,
            where=where,
            message=error.message[:300],
        )
    return document


def parse_sarif(data: bytes, *, filename: str) -> tuple[ImportedResult, ...]:
    """Every result of every run; :class:`InvalidInput` naming the first problem otherwise."""
    from sarif_pydantic import Sarif

    document = _document(data, filename)
    try:
        log = Sarif.model_validate(document)
    except pydantic.ValidationError as exc:
        raise said(
            InvalidInput,
            "%(filename)s: not a SARIF log: %(msg)s",
            filename=filename,
            msg=what(exc.errors()[0]),
        ) from None
    found: list[ImportedResult] = []
    for number, run in enumerate(log.runs, start=1):
        found.extend(_run(run, f"{filename}: run {number}"))
    return tuple(found)


@dataclass(frozen=True)
class _RunContext:
    """What every result of one run is read with."""

    tool: str
    version: str
    rules: list[ReportingDescriptor]
    bases: dict[str, str]  # uriBaseId -> its URI
    files: list[str]  # run.artifacts' URIs, by index


def _context(run: Run, where: str) -> _RunContext:
    driver = run.tool.driver
    tool = driver.name.strip()
    if not tool or len(tool) > MAX_TOOL_NAME:
        raise said(
            InvalidInput,
            "%(where)s: tool name %(tool)s must have 1-%(max_tool_name)s characters",
            where=where,
            tool=repr(tool),
            max_tool_name=MAX_TOOL_NAME,
        )
    bases = {k: (v.uri or "") for k, v in (run.original_uri_base_ids or {}).items()}
    files = [(a.location.uri if a.location else None) or "" for a in run.artifacts or []]
    return _RunContext(
        tool, driver.semantic_version or driver.version or "", driver.rules or [], bases, files
    )


def _run(run: Run, where: str) -> list[ImportedResult]:
    context = _context(run, where)
    return [_result(result, context, f"{where}, result {n}") for n, result in enumerate(run.results or [], 1)]


def _rule_id(result: Result, rules: list[ReportingDescriptor], where: str) -> str:
    rule = result.rule_id or (result.rule.id if result.rule else None)
    index = (
        result.rule_index if result.rule_index is not None else (result.rule.index if result.rule else None)
    )
    if rule is None and index is not None and 0 <= index < len(rules):
        rule = rules[index].id
    if not rule or len(rule) > MAX_TOOL_RULE:
        raise said(
            InvalidInput,
            "%(where)s: the rule id must be given and have at most %(max_tool_rule)s characters",
            where=where,
            max_tool_rule=MAX_TOOL_RULE,
        )
    return str(rule)


def _severity(result: Result, rule: str, rules: list[ReportingDescriptor]) -> Severity:
    """A severity of Govern's scale in the result's properties (as Govern's own SARIF writes it),
    else the result's level, else its rule's default level, else SARIF's default (warning)."""
    stated = (result.properties or {}).get("severity")
    if stated in SEVERITIES:
        return cast(Severity, stated)
    level = result.level.value if result.level else None
    if level is None:
        declared = next((r for r in rules if r.id == rule), None)
        config = declared.default_configuration if declared else None
        level = config.level if config and config.level else "warning"
    return LEVELS.get(level, "minor")


def _result(result: Result, context: _RunContext, where: str) -> ImportedResult:
    rule = _rule_id(result, context.rules, where)
    uri, line, end = _place(result.locations[0] if result.locations else None, context)
    text = result.message.text or result.message.markdown or rule
    severity = _severity(result, rule, context.rules)
    return ImportedResult(context.tool, context.version, rule, severity, uri, line, end, text[:4000])


def _uri(artifact: ArtifactLocation | None, context: _RunContext) -> str:
    """The artifact's URI: given, or ``run.artifacts[index]``; ``uriBaseId`` resolved."""
    if artifact is None:
        return ""
    index = artifact.index if artifact.index is not None else -1
    given = artifact.uri or (context.files[index] if 0 <= index < len(context.files) else "")
    base = context.bases.get(artifact.uri_base_id or "", "")
    if not given or "://" in given or not base:
        return given
    return base.rstrip("/") + "/" + given


def _place(location: Location | None, context: _RunContext) -> tuple[str, int, int]:
    """URI, start and end line of a result's first location (``""``, 0, 0: the whole project)."""
    physical = location.physical_location if location else None
    uri = _uri(physical.artifact_location if physical else None, context)
    if not uri:
        return "", 0, 0
    region = physical.region if physical else None
    line = (region.start_line if region else None) or 0
    end = (region.end_line if region else None) or line
    return uri, line, max(end, line)
