"""Finding tracking across scans of a branch: new, persisting (first-seen kept), fixed.

Matching is by fingerprint (rule + path + normalised code of the line), so a finding
that only moved up or down its file is the same finding, as in SonarQube's tracking.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Tracked:
    """A current finding's state and since when it has been seen."""

    state: str  # "new" | "persisting"
    first_seen: datetime


@dataclass(frozen=True)
class Tracking:
    """Outcome of matching the current scan to its baseline."""

    current: dict[str, Tracked]
    fixed: tuple[str, ...]


def track(current: Iterable[str], baseline: Mapping[str, datetime] | None, now: datetime) -> Tracking:
    """Match current fingerprints against the baseline's (fingerprint -> first seen).

    Without a baseline (first scan of a branch) everything is new: there is nothing it
    could have persisted from.
    """
    previous = baseline or {}
    states: dict[str, Tracked] = {}
    for fingerprint in current:
        if fingerprint in previous:
            states[fingerprint] = Tracked("persisting", previous[fingerprint])
        else:
            states[fingerprint] = Tracked("new", now)
    fixed = tuple(sorted(fp for fp in previous if fp not in states))
    return Tracking(states, fixed)
