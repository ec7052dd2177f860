"""Stable tool versions per review cycle: what an upgrade adds is marked and kept out of the count.

Every scan records the versions of the scanners in force (the installed distributions,
overlaid by the profile's ``evidence.tools.versions``, which states the versions of a
review cycle and lets a test simulate an upgrade). When a scanner's version differs from
the baseline scan's, a *new* finding of that scanner in a file that did not change since
the baseline exists only because of the upgrade: it is marked, and for the profile's
``grace_days`` it is given to the evaluation as a dated waiver, so it counts toward no
gate or score (as CodeArts Check does for 60 days). It expires back into the count.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session

from governance.evidence.models import ScanEvidence
from scanners.base import Finding
from scanners.registry import SCANNER_GROUP, build_project_scanners, build_registry, find
from standards.profile_model import ToolPolicy
from standards.results import Waiver

UPGRADE_WAIVER = "tool-upgrade"


def installed_versions() -> dict[str, str]:
    """Scanner name -> version string of every installed tool (per-file and project scanners),
    those a profile must switch on (ruff) included: an upgrade of one is graced like any other."""
    every = [entry_point.name for entry_point in find(SCANNER_GROUP)]
    versions = {scanner.name: scanner.version for scanner in build_registry(enabled=every).scanners}
    versions.update({scanner.name: scanner.version for scanner in build_project_scanners(config={})})
    return versions


def versions_in_force(policy: ToolPolicy, installed: Mapping[str, str]) -> dict[str, str]:
    """The versions a scan records: installed ones, with the profile's stated versions on top."""
    return {**installed, **policy.versions}


@dataclass(frozen=True)
class UpgradeGrace:
    """What a scan records about tool versions, and the waivers that keep upgrade findings out."""

    record: dict[str, Any]
    waivers: tuple[Waiver, ...] = field(default=())


def _upgrades(old: Mapping[str, Any], versions: Mapping[str, str], today: date) -> dict[str, Any]:
    before: Mapping[str, str] = old.get("versions", {})
    carried: Mapping[str, Any] = old.get("upgrades", {})
    upgrades: dict[str, Any] = {}
    for tool, version in versions.items():
        if tool in before and before[tool] != version:
            upgrades[tool] = {"from": before[tool], "to": version, "since": today.isoformat()}
        elif tool in carried and carried[tool]["to"] == version:
            upgrades[tool] = carried[tool]
    return upgrades


def upgrade_grace(
    *,
    baseline: ScanEvidence | None,
    versions: Mapping[str, str],
    findings: Iterable[Finding],
    new_fingerprints: Collection[str],
    changed_paths: Collection[str],
    policy: ToolPolicy,
    today: date,
) -> UpgradeGrace:
    """Mark the findings an upgrade added (carrying earlier marks forward until they expire)."""
    if baseline is None:  # the first scan of a branch: nothing can be blamed on an upgrade
        return UpgradeGrace({"versions": dict(versions), "upgrades": {}, "grace": {}, "added": {}})
    old = baseline.tool_versions
    before: Mapping[str, str] = old.get("versions", {})
    upgraded_now = {t for t, v in versions.items() if t in before and before[t] != v}
    until = (today + timedelta(days=policy.grace_days)).isoformat()
    current = {f.fingerprint: f for f in findings}
    grace = {
        fp: end for fp, end in old.get("grace", {}).items() if fp in current and end >= today.isoformat()
    }
    added: dict[str, int] = {}
    for fingerprint, finding in current.items():
        if (
            fingerprint in new_fingerprints
            and finding.tool in upgraded_now
            and finding.path not in changed_paths
        ):
            grace[fingerprint] = until
            added[finding.tool] = added.get(finding.tool, 0) + 1
    waivers = tuple(
        Waiver(
            reason=f"added by the upgrade of {current[fp].tool}; outside the count until {end}",
            fingerprint=fp,
            expires=date.fromisoformat(end),
            id=UPGRADE_WAIVER,
        )
        for fp, end in sorted(grace.items())
        if policy.grace_days > 0
    )
    record = {
        "versions": dict(versions),
        "upgrades": _upgrades(old, versions, today),
        "grace": grace,
        "added": added,
    }
    return UpgradeGrace(record, waivers)


def baseline_evidence(session: Session, baseline_scan_id: int | None) -> ScanEvidence | None:
    return session.get(ScanEvidence, baseline_scan_id) if baseline_scan_id is not None else None
