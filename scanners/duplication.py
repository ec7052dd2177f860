"""Duplicate code from cached stripped lines: pylint's symilar, comparing only files that can match.

:func:`duplicate_blocks` gives exactly what ``Symilar._compute_sims`` gives on the same
files in the same order (pylint's R0801 engine, which the repository checks used
directly before): the files' stripped lines come from per-blob facts
(:mod:`scanners.blobfacts`) instead of being re-parsed, and instead of comparing every
pair of files (n² comparisons, each re-hashing both) the window hashes are computed once
per file and only pairs that share a hash are compared, in the same order. A pair with
no common hash yields nothing in symilar either, so the result is the same.

:func:`cross_blocks` uses the same comparison between two sets of files (one module and
another): the copies of code between modules, and between vendors.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass

from pylint.checkers.symilar import (
    Commonality,
    LineNumber,
    LineSet,
    LineSetHashResult,
    LineSpecifs,
    Symilar,
    hash_lineset,
)

StrippedLines = Sequence[Sequence[object]]  # [[line index, text(, raw)], ...] from a ``similar`` fact


class FactLineSet(LineSet):
    """A symilar ``LineSet`` made from cached stripped lines (no source, no parse)."""

    def __init__(self, name: str, stripped: StrippedLines) -> None:  # pylint: disable=super-init-not-called
        self.name = name
        self._real_lines: list[str] = []
        self._stripped_lines = [LineSpecifs(LineNumber(int(str(s[0]))), str(s[1])) for s in stripped]


PairFilter = Callable[[int, int], bool]


class IndexedSymilar(Symilar):
    """Symilar whose pairs are only those sharing at least one window hash (same order)."""

    def __init__(self, min_lines: int, linesets: Iterable[LineSet], pairs: PairFilter | None = None) -> None:
        # R0801's settings as the repository checks use them: every ignore on.
        super().__init__(
            min_lines,
            ignore_comments=True,
            ignore_docstrings=True,
            ignore_imports=True,
            ignore_signatures=True,
        )
        self.linesets = list(linesets)
        self._pairs = pairs

    def _iter_sims(self) -> Generator[Commonality]:
        hashes = [hash_lineset(ls, self.namespace.min_similarity_lines) for ls in self.linesets]
        for first, second in self._candidates(hashes):
            yield from self._find_common(
                self.linesets[first], self.linesets[second], hashes[first], hashes[second]
            )

    def _candidates(self, hashes: Sequence[LineSetHashResult]) -> Iterator[tuple[int, int]]:
        owners: dict[int, list[int]] = defaultdict(list)
        for number, result in enumerate(hashes):
            for window in result.hash_to_index:
                owners[window].append(number)
        partners: dict[int, set[int]] = defaultdict(set)
        for members in owners.values():
            for position, first in enumerate(members):
                partners[first].update(members[position + 1 :])
        for first in sorted(partners):
            for second in sorted(partners[first]):
                if self._pairs is None or self._pairs(first, second):
                    yield first, second


@dataclass(frozen=True)
class Copy:
    """One side of a duplicated block: file, first line (1-based), last line."""

    path: str
    start: int
    end: int


def duplicate_blocks(
    files: Sequence[tuple[str, StrippedLines]], min_lines: int
) -> list[tuple[int, list[Copy]]]:
    """Symilar's similarities, each as (number of lines, copies sorted by path and line)."""
    symilar = IndexedSymilar(min_lines, (FactLineSet(path, lines) for path, lines in files))
    return [
        (size, [Copy(ls.name, start + 1, end) for ls, start, end in sorted(couples)])
        for size, couples in symilar._compute_sims()  # pylint: disable=protected-access  # R0801 uses it too
    ]


@dataclass(frozen=True)
class CrossCopy:
    """A block of one side's file also found in a file of the other side."""

    path: str
    start: int
    end: int
    lines: int
    other_path: str
    other_start: int


def cross_blocks(
    own: Sequence[tuple[str, StrippedLines]], other: Sequence[tuple[str, StrippedLines]], min_lines: int
) -> list[CrossCopy]:
    """Blocks of ``own`` files also in ``other`` files (pairs across the two sides only)."""
    count = len(own)
    symilar = IndexedSymilar(
        min_lines,
        [FactLineSet(p, lines) for p, lines in own] + [FactLineSet(p, lines) for p, lines in other],
        pairs=lambda first, second: first < count <= second,
    )
    found = {
        CrossCopy(
            c.fst_lset.name,
            c.fst_file_start + 1,
            c.fst_file_end,
            c.cmn_lines_nb,
            c.snd_lset.name,
            c.snd_file_start + 1,
        )
        for c in symilar._iter_sims()  # pylint: disable=protected-access
    }
    return sorted(found, key=lambda c: (c.path, c.start, c.end, c.other_path, c.other_start))
