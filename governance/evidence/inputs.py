"""Evidence as frozen inputs of a scan's evaluation, and the record of what was used.

The scan calls :func:`attach_evidence` once, in its evaluation step, inside the session
that commits the scan: the facts it returns carry the commit's test results, coverage,
dependency vulnerabilities, licences and attestation states, and the
:class:`~governance.evidence.models.ScanEvidence` row (SBOM, tool versions, inputs used)
is written in the same transaction as the scan.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from governance.evidence import attestations, vulndb
from governance.evidence.manifests import inventory
from governance.evidence.models import ScanEvidence
from governance.evidence.sbom import build_sbom
from governance.evidence.tests_input import test_evidence
from governance.evidence.tools import baseline_evidence, installed_versions, upgrade_grace, versions_in_force
from governance.registry.models import Module
from scanners.base import Finding
from standards.facts import ComponentLicence, LicencePolicy, RepositoryFacts
from standards.profile_model import EffectiveProfile
from standards.results import Waiver
from standards.verification import requirement_verification


@dataclass(frozen=True)
class EvidenceInputs:
    """What evidence adds to an evaluation: facts, and waivers for findings an upgrade added."""

    facts: RepositoryFacts
    waivers: tuple[Waiver, ...]


def attach_evidence(
    session: Session,
    *,
    scan_id: int,
    module: Module,
    commit_sha: str,
    facts: RepositoryFacts,
    profile: EffectiveProfile,
    read: Callable[[str], bytes],
    now: datetime,
    findings: Iterable[Finding],
    new_fingerprints: Collection[str],
    baseline_scan_id: int | None,
) -> EvidenceInputs:
    """The scan's facts with its evidence added; stages the scan's evidence record."""
    paths: Sequence[str] = facts.paths
    tests = test_evidence(session, module=module, commit_sha=commit_sha, paths=paths, read=read)
    found = inventory(paths, read)
    matches = vulndb.match(session, components=found.components)
    update: dict[str, object] = {
        "attestations": attestations.states(session, module_id=module.id or 0, now=now),
        "test_results": tests.results,
        "file_coverage": tests.file_coverage,
        "vulnerabilities": matches.found,
        "licences": tuple(
            ComponentLicence(component=c.name, licence=c.licence, source=c.source) for c in found.components
        ),
        "licence_policy": LicencePolicy(
            allow=tuple(profile.evidence.licences.allow), deny=tuple(profile.evidence.licences.deny)
        ),
    }
    if tests.coverage_percent is not None:
        update["coverage_percent"] = tests.coverage_percent
    judged = facts.model_copy(update=update)
    attestations.notify_expired(session, module_id=module.id or 0, now=now, actor="scanner")
    inputs: dict[str, object] = {
        "evidence_files": list(tests.used),
        "stale_evidence_files": list(tests.stale),
        "unreadable_reports": list(tests.unreadable),
        "requirements": requirement_evidence(judged),
        "vulndb_version": matches.database.version if matches.database else None,
        "components": len(found.components),
        "unreadable_manifests": list(found.unreadable),
        "vulnerabilities": [v.model_dump() for v in matches.found or ()],
    }
    sbom = build_sbom(module=module.key, commit=commit_sha, components=found.components)
    grace = upgrade_grace(
        baseline=baseline_evidence(session, baseline_scan_id),
        versions=versions_in_force(profile.evidence.tools, installed_versions()),
        findings=findings,
        new_fingerprints=new_fingerprints,
        changed_paths=set(facts.changed_paths),
        policy=profile.evidence.tools,
        today=now.date(),
    )
    session.merge(ScanEvidence(scan_id=scan_id, sbom=sbom, inputs=inputs, tool_versions=grace.record))
    return EvidenceInputs(judged, grace.waivers)


def requirement_evidence(facts: RepositoryFacts) -> dict[str, dict[str, object]]:
    """Per requirement: verification by the commit's tests and mean coverage of its code files.

    Kept with the scan so the traceability matrix shows what the scan decided, with the
    same definition the rules used (:func:`standards.verification.requirement_verification`),
    including the descendants that flag a parent (``flagged_by``).
    """
    verdicts = requirement_verification(facts)
    found: dict[str, dict[str, object]] = {}
    for requirement in facts.requirements or ():
        files = [
            facts.file_coverage[p]
            for p in facts.code_markers.get(requirement.key, ())
            if p in facts.file_coverage
        ]
        verdict = verdicts.get(requirement.key)
        found[requirement.key] = {
            "verification": verdict.verdict if verdict else "no evidence",
            "flagged_by": list(verdict.flagged_by) if verdict else [],
            "coverage": round(sum(files) / len(files), 1) if files else None,
        }
    return found
