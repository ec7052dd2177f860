"""Tracking: new, persisting (first seen kept) and fixed, by fingerprint."""

from __future__ import annotations

from datetime import UTC, datetime

from governance.scans.tracking import track

T0 = datetime(2026, 1, 1, tzinfo=UTC)
T1 = datetime(2026, 2, 1, tzinfo=UTC)


def test_first_scan_makes_everything_new() -> None:
    result = track(["a", "b"], None, T1)
    assert {fp: t.state for fp, t in result.current.items()} == {"a": "new", "b": "new"}
    assert result.fixed == ()


def test_persisting_keeps_first_seen_and_fixed_are_listed() -> None:
    result = track(["a", "c"], {"a": T0, "b": T0}, T1)
    assert result.current["a"].state == "persisting" and result.current["a"].first_seen == T0
    assert result.current["c"].state == "new" and result.current["c"].first_seen == T1
    assert result.fixed == ("b",)
