"""Coverage reports → line coverage overall and per file: Cobertura XML, coverage.py JSON, JaCoCo XML."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element

from governance.errors import InvalidInput, said
from governance.evidence.xmlsafe import parse_xml


@dataclass(frozen=True)
class CoverageReport:
    """Covered and coverable lines, overall and by file path as the report names it."""

    format: str
    lines_valid: int
    lines_covered: int
    files: dict[str, tuple[int, int]] = field(default_factory=dict)  # path -> (covered, valid)

    @property
    def percent(self) -> float:
        return round(100.0 * self.lines_covered / self.lines_valid, 2) if self.lines_valid else 100.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "percent": self.percent,
            "lines_valid": self.lines_valid,
            "lines_covered": self.lines_covered,
            "files": {path: list(counts) for path, counts in self.files.items()},
        }


def _int(element: Element, name: str, what: str) -> int:
    try:
        return int(element.get(name, ""))
    except ValueError:
        raise said(
            InvalidInput,
            "%(what)s: <%(tag)s> has no whole number %(name)s",
            what=what,
            tag=element.tag,
            name=repr(name),
        ) from None


def _cobertura(root: Element, what: str) -> CoverageReport:
    files: dict[str, tuple[int, int]] = {}
    for cls in root.iter("class"):
        lines = cls.findall("lines/line")
        covered = sum(1 for line in lines if line.get("hits", "0") not in ("0", ""))
        old = files.get(cls.get("filename", ""), (0, 0))
        files[cls.get("filename", "")] = (old[0] + covered, old[1] + len(lines))
    if "lines-valid" in root.attrib:
        valid, covered = _int(root, "lines-valid", what), _int(root, "lines-covered", what)
    else:
        covered, valid = sum(c for c, _ in files.values()), sum(v for _, v in files.values())
    return CoverageReport("cobertura", valid, covered, files)


def _jacoco(root: Element, what: str) -> CoverageReport:
    files: dict[str, tuple[int, int]] = {}
    for package in root.iter("package"):
        for source in package.findall("sourcefile"):
            line = source.find("counter[@type='LINE']")
            if line is not None:
                missed, covered = _int(line, "missed", what), _int(line, "covered", what)
                files[f"{package.get('name', '')}/{source.get('name', '')}".lstrip("/")] = (
                    covered,
                    missed + covered,
                )
    total = root.find("counter[@type='LINE']")
    if total is None:
        raise said(InvalidInput, "%(what)s: JaCoCo report without a LINE counter", what=what)
    missed, covered = _int(total, "missed", what), _int(total, "covered", what)
    return CoverageReport("jacoco", missed + covered, covered, files)


def _coverage_py(data: bytes, what: str) -> CoverageReport:
    try:
        document = json.loads(data)
        totals = document["totals"]
        files = {
            path: (int(info["summary"]["covered_lines"]), int(info["summary"]["num_statements"]))
            for path, info in document.get("files", {}).items()
        }
        return CoverageReport(
            "coverage.py", int(totals["num_statements"]), int(totals["covered_lines"]), files
        )
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise said(
            InvalidInput,
            "%(what)s: not a coverage.py JSON report (%(error_type)s: %(error)s)",
            what=what,
            error_type=type(exc).__name__,
            error=str(exc),
        ) from None


def parse_coverage(data: bytes, *, filename: str) -> CoverageReport:
    """Recognise the format by content (JSON, Cobertura ``<coverage>``, JaCoCo ``<report>``)."""
    if data.lstrip()[:1] in (b"{", b"["):
        return _coverage_py(data, filename)
    root = parse_xml(data, what=filename)
    if root.tag == "coverage":
        report = _cobertura(root, filename)
    elif root.tag == "report":
        report = _jacoco(root, filename)
    else:
        raise said(
            InvalidInput,
            "%(filename)s: not a Cobertura, JaCoCo or coverage.py report (<%(tag)s>)",
            filename=filename,
            tag=root.tag,
        )
    if report.lines_covered > report.lines_valid or report.lines_covered < 0:
        raise said(InvalidInput, "%(filename)s: covered lines exceed coverable lines", filename=filename)
    return report
