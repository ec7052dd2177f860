"""Step 6, track: which complete scan this one is compared with, and the outcome of matching.

The baseline is the complete scan of the branch at the closest ancestor of the scanned
commit (or at the commit itself): closest by commit distance, then newest. A scan of an
older commit in between never becomes the baseline of the branch tip, so it cannot
corrupt the branch's tracking. A branch other than the default is compared with the
default branch at their merge base.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from governance.registry.models import Module
from governance.scans.models import Finding, Scan
from governance.scans.source import MirrorSource
from governance.scans.steps import Baseline, Results, Tracked
from governance.scans.tracking import track
from governance.timeutil import as_utc, utcnow

CANDIDATES = 20  # the newest complete scans of the branch considered as baseline


def _reference(session: Session, scan: Scan, source: MirrorSource) -> tuple[str | None, str] | None:
    """The branch whose scans are candidates and the commit they must be ancestors of.

    The default branch is compared with itself at this commit; another branch with the
    default branch at their merge base (SonarQube's reference branch), so its new code is
    what it adds, not what it added since its own previous push. None: no common history.
    """
    module = session.get(Module, scan.module_id)
    if module is None or scan.branch in (None, module.default_branch):
        return scan.branch, source.commit
    base = source.merge_base(f"refs/heads/{module.default_branch}")
    return None if base is None else (module.default_branch, base)


def find_baseline(session: Session, *, scan: Scan, source: MirrorSource) -> Baseline | None:
    """The closest complete ancestor scan on the reference branch (see :func:`_reference`)."""
    reference = _reference(session, scan, source)
    if reference is None:
        return None
    branch, tip = reference
    candidates = session.exec(
        select(Scan)
        .where(
            Scan.module_id == scan.module_id,
            Scan.branch == branch,
            Scan.status == "complete",
            Scan.id != scan.id,
        )
        .order_by(col(Scan.finished_at).desc())
        .limit(CANDIDATES)
    ).all()
    best: tuple[int, int] | None = None
    chosen: Baseline | None = None
    for rank, candidate in enumerate(candidates):
        distance = source.distance_from(candidate.commit_sha, tip)
        if distance is not None and (best is None or (distance, rank) < best):
            assert candidate.id is not None
            best, chosen = (distance, rank), Baseline(candidate.id, candidate.commit_sha)
    return chosen


def _first_seen(session: Session, baseline: Baseline | None) -> dict[str, datetime]:
    if baseline is None:
        return {}
    rows = session.exec(
        select(Finding.fingerprint, Finding.first_seen_at).where(Finding.scan_id == baseline.scan_id)
    ).all()
    return {fingerprint: as_utc(seen) for fingerprint, seen in rows}


def track_against_baseline(
    session: Session, *, scan: Scan, source: MirrorSource, results: Results, now: datetime | None = None
) -> Tracked:
    """Match the results to the baseline's findings (new / persisting / fixed)."""
    baseline = find_baseline(session, scan=scan, source=source)
    tracking = track(
        (f.fingerprint for f in results.findings), _first_seen(session, baseline), now or utcnow()
    )
    changed = source.changed_since(baseline.commit) if baseline else {}
    return Tracked(baseline=baseline, tracking=tracking, changed=changed)
