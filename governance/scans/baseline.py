"""Step 6, track: which complete scan this one is compared with, and the outcome of matching.

The baseline is the complete scan of the branch at the closest ancestor of the scanned
commit (or at the commit itself): closest by commit distance, then newest. A scan of an
older commit in between never becomes the baseline of the branch tip, so it cannot
corrupt the branch's tracking. A branch other than the default is compared with the
default branch at their merge base.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from governance.registry.models import Module
from governance.scans.models import Finding, Scan
from governance.scans.source import MirrorSource
from governance.scans.steps import Baseline, Results, Tracked
from governance.scans.tracking import track
from governance.timeutil import as_utc, utcnow
from scanners.imported import SARIF_PREFIX

IMPORTED = f"{SARIF_PREFIX}:"

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


def _first_seen(session: Session, baseline: Baseline | None, imported: set[str]) -> dict[str, datetime]:
    """Fingerprint -> first seen of what the current scan is matched against.

    Imported tools (``sarif:*``) are matched only when the commit has their results: a tool
    the commit has no import of makes none of its findings *fixed*; a tool the baseline had
    no import of is matched against the newest earlier scan that had one (so a vendor's
    upload after the commit's first scan does not show everything as new).
    """
    if baseline is None:
        return {}
    rows = session.exec(
        select(Finding.fingerprint, Finding.first_seen_at, Finding.tool).where(
            Finding.scan_id == baseline.scan_id
        )
    ).all()
    seen: dict[str, datetime] = {}
    present: set[str] = set()
    for fingerprint, first, tool in rows:
        present.add(tool)
        if not tool.startswith(IMPORTED) or tool in imported:
            seen[fingerprint] = as_utc(first)
    for tool in sorted(imported - present):
        seen.update(_last_import(session, baseline.scan_id, tool))
    return seen


def _last_import(session: Session, scan_id: int, tool: str) -> dict[str, datetime]:
    """The findings of ``tool`` in the newest scan up to ``scan_id`` (same module and branch) that had any."""
    scan = session.get(Scan, scan_id)
    assert scan is not None
    newest = session.exec(
        select(sa.func.max(Finding.scan_id))
        .join(Scan, col(Scan.id) == Finding.scan_id)
        .where(Finding.module_id == scan.module_id, Finding.tool == tool, Finding.scan_id <= scan_id)
        .where(Scan.branch == scan.branch)
    ).one()
    if newest is None:
        return {}
    rows = session.exec(
        select(Finding.fingerprint, Finding.first_seen_at).where(
            Finding.scan_id == newest, Finding.tool == tool
        )
    ).all()
    return {fingerprint: as_utc(first) for fingerprint, first in rows}


def track_against_baseline(
    session: Session, *, scan: Scan, source: MirrorSource, results: Results, now: datetime | None = None
) -> Tracked:
    """Match the results to the baseline's findings (new / persisting / fixed)."""
    baseline = find_baseline(session, scan=scan, source=source)
    imported = {f.tool for f in results.findings if f.tool.startswith(IMPORTED)}
    tracking = track(
        (f.fingerprint for f in results.findings), _first_seen(session, baseline, imported), now or utcnow()
    )
    changed = source.changed_since(baseline.commit) if baseline else {}
    return Tracked(baseline=baseline, tracking=tracking, changed=changed)
