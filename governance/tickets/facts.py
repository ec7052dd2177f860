"""What a committed scan tells the tickets: a frozen value built from the scan's finding rows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from standards.profile_model import TicketPolicy
from standards.results import Evaluation, GateCondition, RuleResult


@dataclass(frozen=True, slots=True)
class FindingRef:
    """A finding as a ticket names it: what the scan saw and what the ticket's page and API list."""

    fingerprint: str
    rule: str
    severity: str
    path: str
    line: int
    message: str


@dataclass(frozen=True, slots=True)
class Seen(FindingRef):
    """One finding of the scan as tickets need it: waived ones open nothing, new ones may."""

    waived: bool
    new: bool
    # The finding row's wording, which its ticket copies for the page (not in FindingRef: the
    # API lists a ticket's findings in English only).
    message_wording: dict[str, Any] | None = field(default=None, compare=False)


@dataclass(frozen=True)
class ScanFacts:
    """What a committed scan tells the tickets (built by the scan runner)."""

    scan_id: int
    module_id: int
    vendor_id: int
    commit: str
    default_branch: bool
    gate_passed: bool
    findings: Mapping[str, Seen]
    gate_fingerprints: frozenset[str]
    policy: TicketPolicy
    now: datetime

    @property
    def showing(self) -> frozenset[str]:
        return frozenset(fp for fp, seen in self.findings.items() if not seen.waived)


def gate_fingerprints(evaluation: Evaluation, new: frozenset[str]) -> frozenset[str]:
    """The findings behind the failed gate conditions (failing rules, or new findings, at their severity)."""
    out: set[str] = set()
    for condition in evaluation.failed_conditions:
        out |= _behind(condition, evaluation.rules, new)
    return frozenset(out)


def _behind(condition: GateCondition, rules: Sequence[RuleResult], new: frozenset[str]) -> set[str]:
    """Fingerprints a failed condition counts: an overall condition the failing rules' findings; a
    new-code condition the new findings of every rule at its severity, failing or not (the gate
    counts new findings whether or not their rule's threshold is crossed)."""
    counted = [
        r
        for r in rules
        if (condition.scope == "new" or r.status == "fail")
        and condition.severity in (None, r.severity)
        and condition.standard in (None, r.standard)
    ]
    found = {fp for r in counted for fp in r.fingerprints}
    return found & new if condition.scope == "new" else found


def build_facts(
    *,
    scan_id: int,
    module_id: int,
    vendor_id: int,
    commit: str,
    default_branch: bool,
    rows: Sequence[Mapping[str, Any]],
    evaluation: Evaluation,
    policy: TicketPolicy,
    now: datetime,
) -> ScanFacts:
    """The facts of a scan from the finding rows it is about to write (one per fingerprint)."""
    findings = {
        str(r["fingerprint"]): Seen(
            fingerprint=str(r["fingerprint"]),
            rule=str(r["rule"]),
            severity=str(r["severity"]),
            path=str(r["path"]),
            line=int(r["line"]),
            message=str(r["message"]),
            waived=bool(r["waived"]),
            new=str(r["state"]) == "new",
            message_wording=r.get("message_wording"),
        )
        for r in rows
    }
    new = frozenset(fp for fp, seen in findings.items() if seen.new)
    return ScanFacts(
        scan_id=scan_id,
        module_id=module_id,
        vendor_id=vendor_id,
        commit=commit,
        default_branch=default_branch,
        gate_passed=evaluation.gate_passed,
        findings=findings,
        gate_fingerprints=gate_fingerprints(evaluation, new),
        policy=policy,
        now=now,
    )
