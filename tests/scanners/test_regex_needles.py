"""Strings every match of a regex contains, read off re's parser: never one some match lacks.

These also check, on the running Python, the parts of ``re._parser``'s output that
:mod:`scanners.regex_needles` reads (literal runs, groups and their flags, alternations,
repeats).
"""

from __future__ import annotations

import re

import pytest

from scanners.regex_needles import LineIndex, leading_group, needles


@pytest.mark.parametrize(
    ("pattern", "alone"),
    [
        (r"(ab|cd)\w*x", True),
        (r"(ab|cd)x", True),
        (r"x(ab|cd)", False),  # does not begin with the group
        (r"(ab|cd)*x", False),  # the group may be absent
        (r"(ab|cd)?x", False),
        (r"(ab|cd)x|y", False),  # a top-level alternative without it
        (r"(ab|cd)|x", False),
    ],
)
def test_leading_group_only_when_every_match_begins_with_it(pattern: str, alone: bool) -> None:
    compiled = re.compile(pattern, re.IGNORECASE)
    guard = leading_group(compiled, "(ab|cd)")
    assert guard == (re.compile("(ab|cd)", re.IGNORECASE) if alone else compiled)


@pytest.mark.parametrize(
    ("pattern", "flags", "finder", "lowered"),
    [
        (r"BEGIN RSA PRIVATE KEY", 0, "BEGIN\\ RSA\\ PRIVATE\\ KEY", False),
        (r"(?:A3T[A-Z0-9]|ABIA|AKIA)[0-9A-Z]{16}", 0, "3T|BIA|KIA", False),  # the longest requirement
        (r"x(?:ab)+y", 0, "ab", False),  # repeated at least once
        (r"(?:ab)*xyz", 0, "xyz", False),  # a repeat that may be absent requires nothing
        (r"ab|[0-9]+", 0, None, False),  # one alternative requires nothing
        (r"(?i:secret)[0-9]+", 0, None, False),  # flags of its own: not read
        (r"\d+:\w+", 0, ":", False),
        (r"(password|contraseña)", re.IGNORECASE, "password", True),  # ñ: no ASCII line holds it
        (r"ſecret", re.IGNORECASE, "secret", True),  # ſ matches s when case is ignored
        (r"[a-z]{8}", 0, None, False),
    ],
)
def test_needles_every_match_holds(pattern: str, flags: int, finder: str | None, lowered: bool) -> None:
    found = needles(re.compile(pattern, flags))
    assert (found.finder.pattern if found.finder else None, found.lowered) == (finder, lowered)


@pytest.mark.parametrize(
    ("pattern", "flags", "candidates"),
    [
        (r"(password|secret)\w*", re.IGNORECASE, [1, 2, 6]),  # lowered ASCII lines, all non-ASCII ones
        (r"AKIA[0-9A-Z]{4}", 0, [3]),
        (r"x\ny", 0, [4]),  # found across two lines only: the first is searched (in vain)
        (r"[0-9]+", 0, list(range(9))),  # no strings known: every line
    ],
)
def test_candidates_hold_every_line_matched(pattern: str, flags: int, candidates: list[int]) -> None:
    compiled = re.compile(pattern, flags)
    lines = ["no", "PASSWORD=1", "ſecret", "AKIA1234 and AKIA5678", "x", "y", "Über password", "42", ""]
    found = list(LineIndex(lines).candidates(needles(compiled)))
    assert found == candidates
    assert {i for i, line in enumerate(lines) if compiled.search(line)} <= set(found)
