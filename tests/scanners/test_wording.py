"""Text Govern writes itself: English when printed, the reader's language when shown, stored as JSON."""

from __future__ import annotations

import pytest

from scanners.base import Finding
from scanners.wording import Wording, worded

ZH = {
    "%(lines)s similar lines also in %(places)s": "%(lines)s 行相似代码也出现在 %(places)s",
    "row %(row)s: %(reason)s": "第 %(row)s 行：%(reason)s",
    "the title is empty": "标题为空",
}


def test_english_is_the_msgid_filled_and_a_page_translates_each_part() -> None:
    inner = worded("the title is empty")
    line = worded("row %(row)s: %(reason)s", row=3, reason=inner)
    assert str(line) == "row 3: the title is empty"
    assert line.shown(lambda m: ZH.get(m, m)) == "第 3 行：标题为空"


def test_a_catalogue_that_lost_a_placeholder_falls_back_to_english() -> None:
    wording = worded("%(lines)s similar lines also in %(places)s", lines=4, places="a.py:1")
    assert wording.shown(lambda m: "%(lines)s 行相似代码") == "4 行相似代码"  # fewer is fine
    assert wording.shown(lambda m: "%(nope)s") == "4 similar lines also in a.py:1"


def test_verbatim_text_is_never_formatted_nor_looked_up() -> None:
    text = "50% of 'a %s b' said %(x)s"
    assert str(Wording.verbatim(text)) == text
    assert Wording.verbatim(text).shown(lambda m: m) == text


def test_the_stored_form_round_trips_and_anything_malformed_is_none() -> None:
    line = worded("row %(row)s: %(reason)s", row=3, reason=worded("the title is empty"))
    assert line.as_json() == {
        "msgid": "row %(row)s: %(reason)s",
        "args": {"row": 3, "reason": {"msgid": "the title is empty", "args": {}}},
    }
    assert Wording.from_json(line.as_json()) == line
    for bad in (
        None,
        "text",
        {"args": {}},
        {"msgid": 1},
        {"msgid": "x", "args": [1]},
        {"msgid": "x", "args": {"a": [1]}},
    ):
        assert Wording.from_json(bad) is None


@pytest.mark.parametrize(
    "wording", [None, worded("%(lines)s similar lines also in %(places)s", lines=4, places="b.py:2")]
)
def test_a_finding_keeps_its_wording_through_the_cache_form(wording: Wording | None) -> None:
    finding = Finding(
        "repository:duplicate-code", "repository", "duplicate-code", "minor", "a.py", 1, 4,
        str(wording) if wording else "m", "f" * 40, wording,
    )  # fmt: skip
    assert Finding.from_dict(finding.as_dict()) == finding
    assert ("wording" in finding.as_dict()) is (wording is not None)
    hash(finding)  # still a hashable value


def test_a_cache_entry_from_before_wordings_loads_without_one() -> None:
    old = {
        "rule": "radon:CC-C", "tool": "radon", "tool_rule": "CC-C", "severity": "minor", "path": "a.py",
        "line": 1, "end_line": 9, "message": "function f has cyclomatic complexity 12 (rank C)",
        "fingerprint": "f",
    }  # fmt: skip
    assert Finding.from_dict(old).wording is None
