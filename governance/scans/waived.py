"""The waivers a scan is judged with: approved ones of its module (the evaluator applies expiry).

The table lives with the scans because every scan reads it; the workflow that fills it
(request, decide, revoke) is :mod:`governance.waivers.service`, which depends on scans and
never the other way round.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from governance.scans.models import Finding, Waiver, WaiverState
from governance.timeutil import as_utc
from standards.results import Waiver as WaiverValue


def evaluation_waivers(session: Session, *, module_id: int) -> list[WaiverValue]:
    """Approved waivers of a module as the evaluator takes them (it applies their expiry)."""
    rows = session.exec(
        select(Waiver).where(Waiver.module_id == module_id, Waiver.state == WaiverState.approved)
    ).all()
    return [
        WaiverValue(
            reason=w.reason,
            fingerprint=w.fingerprint,
            rule=w.rule,
            id=str(w.id),
            expires=as_utc(w.expires_at).date() if w.expires_at else None,
        )
        for w in rows
    ]


@dataclass(frozen=True)
class WaiverIndex:
    """A module's approved waivers, to show who set a waived finding aside, why and until when."""

    by_fingerprint: dict[str, Waiver]
    by_rule: dict[str, Waiver]

    def behind(self, finding: Finding) -> Waiver | None:
        """The waiver that made ``finding`` waived (by fingerprint, else by its rule)."""
        if not finding.waived:
            return None
        return self.lookup(finding.fingerprint, finding.standard_rule, finding.rule)

    def lookup(self, fingerprint: str, standard_rule: str | None, rule: str) -> Waiver | None:
        """The waiver of a waived finding given by its columns (rows read without the ORM)."""
        return (
            self.by_fingerprint.get(fingerprint)
            or self.by_rule.get(standard_rule or "")
            or self.by_rule.get(rule)
        )


def waiver_index(session: Session, *, module_id: int) -> WaiverIndex:
    """The approved waivers of one module, indexed (a module has tens, not millions)."""
    found = session.exec(
        select(Waiver).where(Waiver.module_id == module_id, Waiver.state == WaiverState.approved)
    ).all()
    return WaiverIndex(
        by_fingerprint={w.fingerprint: w for w in found if w.fingerprint},
        by_rule={w.rule: w for w in found if w.rule},
    )
