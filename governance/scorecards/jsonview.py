"""A scorecard board as JSON (``govern.scorecards.v1``): the one form the API, CLI and files share.

Ratios carry ``part``, ``whole`` and ``percent``; *n/a* is ``null``, never 100.
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from datetime import datetime
from typing import Any

from governance.scorecards.values import Ratio, Scorecard, ScorecardBoard
from governance.timeutil import as_utc

SCHEMA = "govern.scorecards.v1"


def plain(value: Any) -> Any:
    """Dataclasses to dicts (ratios with their percent), times to ISO UTC, tuples to lists."""
    if isinstance(value, Ratio):
        return {"part": value.part, "whole": value.whole, "percent": value.percent}
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, datetime):
        return as_utc(value).isoformat()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value


def card_json(card: Scorecard) -> dict[str, Any]:
    data: dict[str, Any] = plain(card)
    data["vendor"] = card.vendor
    data["figures"]["delivery"]["delivery"] = plain(card.figures.delivery.delivery)
    return data


def board_json(board: ScorecardBoard) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "quarter": board.quarter,
        "start": as_utc(board.start).isoformat(),
        "end": as_utc(board.end).isoformat(),
        "as_of": as_utc(board.as_of).isoformat(),
        "final": board.final,
        "vendor_count": board.vendor_count,
        "cards": [card_json(card) for card in board.cards],
    }
