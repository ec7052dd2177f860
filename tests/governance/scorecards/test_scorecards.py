"""Scorecards on a world of real scans at controlled dates: every figure of every card, exactly."""

from __future__ import annotations

import json

import pytest
from sqlmodel import Session, select

from governance.errors import InvalidInput, NotFound
from governance.evidence.models import ScanEvidence
from governance.registry.service import get_user
from governance.scans.models import StandardResult
from governance.scorecards.jsonview import board_json
from governance.scorecards.ranking import ranks
from governance.scorecards.service import scorecard_board
from governance.scorecards.values import SIX, Ratio, Scorecard, ScorecardBoard
from tests.governance.scorecards.world import NOW, World, at


def _board(world: World, reader: str = "pat", quarter: str = "2026Q4", **kwargs: object) -> ScorecardBoard:
    with world.database.session() as session:
        user = get_user(session, reader)
        return scorecard_board(session, user=user, quarter=quarter, now=kwargs.pop("now", NOW), **kwargs)  # type: ignore[arg-type]


def _card(board: ScorecardBoard, vendor: str) -> Scorecard:
    return next(card for card in board.cards if card.vendor == vendor)


def _standard_scores(session: Session, scan_id: int) -> dict[str, float | None]:
    rows = session.exec(select(StandardResult).where(StandardResult.scan_id == scan_id)).all()
    return {
        r.standard: (round(r.score, 1) if r.score is not None else None) for r in rows if r.standard in SIX
    }


def test_acme_q4_card_figures(scorecard_world: World) -> None:
    acme = _card(_board(scorecard_world), "Acme Soft").figures
    with scorecard_world.database.session() as session:
        s3 = scorecard_world.scans["S3"]
        assert acme.scans.scores == _standard_scores(session, s3)  # the last scan of the quarter, not S2
        versions = session.get(ScanEvidence, s3)
        assert versions is not None
        expected_tools = {t: (v,) for t, v in sorted(versions.tool_versions["versions"].items())}
    assert [m.scan_id for m in acme.scans.modules] == [scorecard_world.scans["S3"]]
    assert acme.scans.overall == 69.9  # S3's score 69.88; S2 (66.31) is not the one that counts
    assert acme.scans.scans == 2
    assert acme.scans.gate == Ratio(1, 2)  # S2 failed, S3 passed
    assert (acme.scans.findings_opened, acme.scans.findings_fixed) == (0, 6)
    assert acme.scans.median_days_to_fix == 102.0  # first seen 08-10 (S1), gone 11-20 (S3)
    assert acme.scans.tool_versions == expected_tools and expected_tools
    assert (acme.delivery.delivered, acme.delivery.open_at_end) == (2, 1)
    assert acme.delivery.delivery.percent == 66.7
    assert acme.delivery.median_days_to_deliver == 35.0  # 40 and 30 days
    assert acme.delivery.sla == Ratio(1, 3)  # kept 10-20; late 11-10; open past 12-01; 2027-01-15 not due
    assert acme.mirrors.mirrored == 1 and acme.mirrors.never_synced == ()
    assert acme.mirrors.stalest_hours == 998.0  # last sync 11-20 10:00 → end of the quarter
    assert acme.mirrors.push_refusals == 2  # 10-03 and 12-20; 09-01 belongs to Q3


def test_n_a_is_not_a_hundred_percent(scorecard_world: World) -> None:
    board = _board(scorecard_world)
    beta, gamma = _card(board, "Beta Tech"), _card(board, "Gamma Data")
    assert beta.figures.delivery.sla == Ratio(0, 0) and beta.figures.delivery.sla.percent is None
    assert beta.figures.delivery.delivery.percent is None
    assert beta.figures.scans.median_days_to_fix is None
    assert beta.figures.mirrors.stalest_hours == 1862.0  # 10-15 10:00 → 2027-01-01
    assert gamma.figures.scans.overall is None and gamma.figures.scans.gate.percent is None
    assert gamma.figures.mirrors.never_synced == ("GAM",) and gamma.figures.mirrors.stalest_hours is None
    assert gamma.standing.rank is None and gamma.standing.composite is None
    document = board_json(board)
    beta_json = next(c for c in document["cards"] if c["vendor"] == "Beta Tech")
    assert beta_json["figures"]["delivery"]["sla"] == {"part": 0, "whole": 0, "percent": None}


def test_ranking_and_change_from_the_previous_quarter(scorecard_world: World) -> None:
    board = _board(scorecard_world)
    assert [(c.vendor, c.standing.rank, c.standing.composite) for c in board.cards] == [
        ("Beta Tech", 1, 82.9),  # (0.4·69.98 + 0.3·100) / 0.7: delivery and SLA n/a
        ("Acme Soft", 2, 58.0),  # 0.4·69.88 + 0.3·50 + 0.15·66.7 + 0.15·33.3
        ("Gamma Data", None, None),
    ]
    assert board.vendor_count == 3 and board.final
    acme = _card(board, "Acme Soft")
    # Q3 counts S1's own gate-failed ticket (due 08-17, closed 11-20): SLA 0 of 1
    assert acme.previous is not None and (acme.previous.rank, acme.previous.composite) == (2, 34.0)
    change = acme.change
    assert (change.composite, change.rank, change.overall, change.gate_rate) == (24.0, 0, 3.6, 50.0)
    assert (change.findings_opened, change.findings_fixed) == (-11, 6)  # Q3: S1 opened all 11
    beta = _card(board, "Beta Tech").change
    assert (beta.composite, beta.rank, beta.findings_opened) == (0.0, 0, -5)


def test_a_running_quarter_counts_what_has_happened(scorecard_world: World) -> None:
    acme = _card(_board(scorecard_world, now=at("2026-11-01 00:00")), "Acme Soft").figures
    assert (acme.scans.scans, acme.scans.overall, acme.scans.gate) == (1, 66.3, Ratio(0, 1))
    assert acme.delivery.sla == Ratio(1, 1)  # only the ticket due 10-20 had fallen due
    assert acme.mirrors.stalest_hours == 638.0  # 10-05 10:00 → 11-01 00:00


def test_ranks_share_places_and_skip() -> None:
    assert ranks({"a": 70.0, "b": 80.0, "c": 70.0, "d": None, "e": 60.0}) == {
        "b": 1,
        "a": 2,
        "c": 2,
        "e": 4,
        "d": None,
    }


def test_a_vendor_sees_its_own_card_rank_and_count_only(scorecard_world: World) -> None:
    board = _board(scorecard_world, reader="acme-dev")
    assert [c.vendor for c in board.cards] == ["Acme Soft"]
    assert (board.cards[0].standing.rank, board.vendor_count) == (2, 3)
    text = json.dumps(board_json(board))
    assert "Beta" not in text and "Gamma" not in text and "82.9" not in text
    with pytest.raises(NotFound, match="unknown vendor 'Beta Tech'"):
        _board(scorecard_world, reader="acme-dev", vendor="Beta Tech")
    own = _board(scorecard_world, reader="acme-dev", vendor="Acme Soft")
    assert [c.vendor for c in own.cards] == ["Acme Soft"]


def test_one_vendor_for_a_pm_and_bad_quarters(scorecard_world: World) -> None:
    board = _board(scorecard_world, vendor="Beta Tech")
    assert [(c.vendor, c.standing.rank) for c in board.cards] == [
        ("Beta Tech", 1)
    ] and board.vendor_count == 3
    with pytest.raises(InvalidInput, match="2026Q5"):
        _board(scorecard_world, quarter="2026Q5")
    with pytest.raises(NotFound):
        _board(scorecard_world, vendor="Nobody Ltd")
