"""Strings every match of a regex contains, read off the stdlib's own parse of it.

Why: the secrets scanner (:mod:`scanners.secrets_lines`) must know which lines of a file a
detect-secrets pattern can match without calling the pattern on every line: calling is what
costs (a Python call per line and pattern, and case-insensitive alternations are slow per
character). A pattern whose every match contains one of a few strings can only match the
lines holding one, and one search of the whole file for those strings finds them.

The reading is conservative, so a wrong answer can only be "no strings known" (search every
line), never a string some match lacks: only literal runs, groups without flags of their own,
alternations whose every branch has strings, and repeats of at least one are read. For a
case-insensitive pattern the regex engine itself says, for each character, which ASCII
characters match it: the strings are then looked for in lowered ASCII lines, and lines with
other characters are always searched with the pattern.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import accumulate
from re import _parser  # type: ignore[attr-defined]  # private; tests/scanners/test_regex_needles.py
from typing import Any

# re._parser's opcodes are made at import time (``globals().update``), out of linters' sight.
_LITERAL, _SUBPATTERN, _BRANCH, _MAX_REPEAT, _MIN_REPEAT = (
    getattr(_parser, name) for name in ("LITERAL", "SUBPATTERN", "BRANCH", "MAX_REPEAT", "MIN_REPEAT")
)


@cache
def leading_group(pattern: re.Pattern[str], group: str) -> re.Pattern[str]:
    """``group`` alone if every match of ``pattern`` begins with a match of it, else ``pattern``.

    Why: the keyword plugin's patterns all begin with the same group of some 50 words and
    differ after it; searching for that group once costs what searching one of them does
    (measured: ~0.2 s per pattern over Flask's 34k lines). The proof is mechanical: the
    pattern's text begins with the group's, and ``re``'s own parser puts that group first
    in the top-level sequence, so it is neither quantified nor one side of a top-level
    ``|``: a match of the pattern at a position is a match of the group there, under the
    pattern's flags.
    """
    if not pattern.pattern.startswith(group):
        return pattern
    alone = _parser.parse(group, pattern.flags).data
    first = _parser.parse(pattern.pattern, pattern.flags).data[0]
    if len(alone) != 1 or alone[0][0] is not _SUBPATTERN or first[0] is not _SUBPATTERN:
        return pattern
    return re.compile(group, pattern.flags)


def _required(items: Any) -> frozenset[str] | None:
    """Strings one of which every match of a parsed sequence contains; ``None``: none known.

    Conservative: only literal runs, groups without flags of their own, alternations whose every
    branch has one, and repeats of at least one; any other item contributes nothing (a sequence
    matches only if each of its items does, so the best of the items' requirements holds).
    """
    found: list[frozenset[str]] = []
    run: list[str] = []
    for op, av in [*items, (None, None)]:
        if op is _LITERAL:
            run.append(chr(av))
            continue
        if run:
            found.append(frozenset(["".join(run)]))
            run = []
        inner = _item_required(op, av)
        if inner:
            found.append(inner)
    return max(found, key=lambda strings: min(map(len, strings))) if found else None


def _item_required(op: Any, av: Any) -> frozenset[str] | None:
    """:func:`_required` of one parsed item other than a literal."""
    if op is _SUBPATTERN and not av[1] and not av[2]:
        return _required(av[3])
    if op is _BRANCH:
        branches = [_required(branch) for branch in av[1]]
        return frozenset().union(*branches) if all(branches) else None  # type: ignore[arg-type]
    if op in (_MAX_REPEAT, _MIN_REPEAT) and av[0] >= 1:
        return _required(av[2])
    return None


def _in_lowered_ascii(needle: str, flags: int) -> str | None:
    """What ``needle`` (case-insensitive under ``flags``) must appear as in a lowered ASCII text.

    ``""`` if no ASCII text can hold it, ``None`` if lowering cannot tell. Asked of the regex
    engine itself, character by character: under ``re.IGNORECASE`` some non-ASCII letters match
    ASCII ones (``ſ`` matches ``s``), some (``ñ``) none.
    """
    out = []
    for char in needle:
        matching = {a.lower() for a in map(chr, range(128)) if re.fullmatch(re.escape(char), a, flags)}
        if not matching:
            return ""
        if len(matching) > 1:
            return None
        out.append(matching.pop())
    return "".join(out)


@dataclass(frozen=True)
class Needles:
    """Strings one of which is in every line a pattern matches, as one regex of them.

    ``lowered``: the strings are those of a case-insensitive pattern as they appear in a
    lowered ASCII line (non-ASCII lines are searched with the pattern itself). ``finder`` is
    ``None`` when no such strings are known: every line is searched with the pattern.
    """

    finder: re.Pattern[str] | None
    lowered: bool = False


@cache
def needles(pattern: re.Pattern[str]) -> Needles:
    """The :class:`Needles` of ``pattern``, read off ``re``'s parse of it (see :func:`_required`).

    Why: most of the plugins' patterns match no line of most files, and a pattern costs
    about as much per line called as per line matched; one search of the whole file for the
    strings every match contains picks the few lines worth searching with it.
    """
    required = _required(_parser.parse(pattern.pattern, pattern.flags).data)
    if required is None:
        return Needles(None)
    if not pattern.flags & re.IGNORECASE:
        return Needles(_any_of(required))
    flags = pattern.flags & (re.IGNORECASE | re.UNICODE | re.ASCII)
    lowered = [_in_lowered_ascii(needle, flags) for needle in sorted(required)]
    if any(needle is None for needle in lowered):
        return Needles(None)
    return Needles(_any_of(needle for needle in lowered if needle), lowered=True)


def _any_of(strings: Iterable[str | None]) -> re.Pattern[str]:
    """A regex matching any of ``strings`` (none: a regex matching nothing)."""
    alternatives = sorted({re.escape(s) for s in strings if s})
    return re.compile("|".join(alternatives) if alternatives else "(?!)")


class LineIndex:
    """The lines of one text, joined (as they are and lowered) once for every pattern's needles."""

    def __init__(self, lines: Sequence[str]) -> None:
        self.lines = lines
        self._made: dict[bool, tuple[str, list[int]]] = {}
        self.non_ascii = {i for i, line in enumerate(lines) if not line.isascii()}

    def _joined(self, lowered: bool) -> tuple[str, list[int]]:
        if lowered not in self._made:
            lines = [line.lower() for line in self.lines] if lowered else list(self.lines)
            starts = [0, *accumulate(len(line) + 1 for line in lines)]
            self._made[lowered] = ("\n".join(lines), starts)
        return self._made[lowered]

    def candidates(self, found: Needles) -> Iterable[int]:
        """Indexes of the lines holding one of the needles (non-ASCII ones too, if lowered).

        One search per line that holds one: each hit counts for the line it starts in, and
        the next search starts at the following line.
        """
        if found.finder is None:
            return range(len(self.lines))
        text, starts = self._joined(found.lowered)
        hit = set(self.non_ascii) if found.lowered else set()
        match = found.finder.search(text)
        while match is not None:
            line = bisect_right(starts, match.start()) - 1
            hit.add(line)
            match = found.finder.search(text, starts[line + 1])
        return sorted(hit)
