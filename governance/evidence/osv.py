"""OSV records: validation of the subset Govern relies on, severity, and version-range matching.

Pure functions. Ranges follow the OSV schema: events ``introduced`` / ``fixed`` /
``last_affected`` of type ``ECOSYSTEM`` or ``SEMVER``, evaluated in version order; explicit
``versions`` lists count too. PyPI versions compare by PEP 440 (``packaging``), others by
their numeric and textual parts (enough for npm semver and Maven release numbers).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from cvss import CVSS3, CVSS4
from cvss.exceptions import CVSSError
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version
from pydantic import BaseModel, ConfigDict, Field

ECOSYSTEMS = ("PyPI", "npm", "Maven")
_GITHUB_SEVERITY = {
    "CRITICAL": "critical",
    "HIGH": "major",
    "MODERATE": "minor",
    "MEDIUM": "minor",
    "LOW": "info",
}
_CVSS_SEVERITY = {"Critical": "critical", "High": "major", "Medium": "minor", "Low": "info", "None": "info"}


class _Loose(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)


class OsvPackage(_Loose):
    ecosystem: str = Field(min_length=1)
    name: str = Field(min_length=1)


class OsvRange(_Loose):
    type: str
    events: list[dict[str, str]] = Field(min_length=1)


class OsvAffected(_Loose):
    package: OsvPackage
    ranges: list[OsvRange] = Field(default_factory=list)
    versions: list[str] = Field(default_factory=list)


class OsvRecord(_Loose):
    """The fields of an OSV record that matching needs; anything else is kept as it is."""

    id: str = Field(min_length=1, max_length=100)
    modified: datetime
    summary: str = ""
    aliases: list[str] = Field(default_factory=list)
    affected: list[OsvAffected] = Field(min_length=1)
    severity: list[dict[str, str]] = Field(default_factory=list)
    database_specific: dict[str, Any] = Field(default_factory=dict)
    withdrawn: datetime | None = None


def package_key(ecosystem: str, name: str) -> str:
    """The name as matched: PEP 503-normalised for PyPI, as written elsewhere."""
    return canonicalize_name(name) if ecosystem == "PyPI" else name


def severity_of(record: OsvRecord) -> str:
    """Govern's severity of an advisory: the database's own rating, else its CVSS vector's."""
    rated = str(record.database_specific.get("severity", "")).upper()
    if rated in _GITHUB_SEVERITY:
        return _GITHUB_SEVERITY[rated]
    for entry in record.severity:
        kind, vector = entry.get("type", ""), entry.get("score", "")
        try:
            if kind == "CVSS_V3":
                return _CVSS_SEVERITY[CVSS3(vector).severities()[0]]
            if kind == "CVSS_V4":
                return _CVSS_SEVERITY[CVSS4(vector).severity]
        except (CVSSError, KeyError, ValueError):
            continue
    return "minor"


_PART = re.compile(r"\d+|[A-Za-z]+")


def _generic(version: str) -> tuple[tuple[int, int | str], ...]:
    """Numeric parts compare as numbers; a textual part (rc, beta) sorts before a release."""
    return tuple((1, int(p)) if p.isdigit() else (0, p.lower()) for p in _PART.findall(version))


def version_key(ecosystem: str, version: str) -> Any:
    """A sortable key for ``version`` in ``ecosystem`` (``None`` when PEP 440 refuses it)."""
    if version == "0":
        return (0,)  # "introduced: 0" is before every version
    if ecosystem == "PyPI":
        try:
            return (1, Version(version))
        except InvalidVersion:
            return None
    return (1, _generic(version))


def _in_range(ecosystem: str, version: Any, events: Sequence[Mapping[str, str]]) -> bool:
    ordered = []
    for event in events:
        for kind, value in event.items():
            key = version_key(ecosystem, value)
            if key is not None and kind in ("introduced", "fixed", "last_affected"):
                ordered.append((key, kind))
    affected = False
    for key, kind in sorted(ordered, key=lambda item: item[0]):
        if kind == "introduced" and version >= key:
            affected = True
        elif (kind == "fixed" and version >= key) or (kind == "last_affected" and version > key):
            affected = False
    return affected


def affects(ecosystem: str, version: str, affected: Mapping[str, Any]) -> bool:
    """Whether ``version`` is affected by one ``affected`` entry (ranges or explicit versions)."""
    if version in affected.get("versions", []):
        return True
    key = version_key(ecosystem, version)
    if key is None:
        return False
    return any(
        _in_range(ecosystem, key, r.get("events", []))
        for r in affected.get("ranges", [])
        if r.get("type") in ("ECOSYSTEM", "SEMVER")
    )


def fixed_versions(affected: Mapping[str, Any]) -> list[str]:
    """Every ``fixed`` version an entry names, for "upgrade to" advice."""
    return [e["fixed"] for r in affected.get("ranges", []) for e in r.get("events", []) if "fixed" in e]
