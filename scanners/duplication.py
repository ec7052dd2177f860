"""Duplicate code from cached stripped lines: pylint's symilar, comparing only files that can match.

:func:`duplicate_blocks` gives exactly what ``Symilar._compute_sims`` gives on the same
files in the same order (pylint's R0801 engine, which the repository checks used
directly before): the files' stripped lines come from per-blob facts
(:mod:`scanners.blobfacts`) instead of being re-parsed, and instead of comparing every
pair of files (n² comparisons, each re-hashing both) the window hashes are computed once
per file and only pairs that share two consecutive window hashes are compared, in the same
order. Symilar reports a block only when more than ``min_lines`` lines match, which takes
two successive matching windows, so a pair without them yields nothing in symilar either:
the result is the same.

:func:`cross_blocks` uses the same comparison between two sets of files (one module and
another): the copies of code between modules, and between vendors.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import pairwise

from pylint.checkers.symilar import (
    Commonality,
    Index,
    LineNumber,
    LineSet,
    LineSetHashResult,
    LineSpecifs,
    SuccessiveLinesLimits,
    Symilar,
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
        windows = [window_hashes(ls, self.namespace.min_similarity_lines) for ls in self.linesets]
        hashes = [result for result, _sequence in windows]
        for first, second in self._candidates([sequence for _result, sequence in windows]):
            yield from self._find_common(
                self.linesets[first], self.linesets[second], hashes[first], hashes[second]
            )

    def _candidates(self, sequences: Sequence[Sequence[int]]) -> Iterator[tuple[int, int]]:
        """Pairs of files sharing two consecutive windows, in symilar's order.

        Symilar reports a block only if more than ``min_lines`` of its lines match, which
        takes two successive matching windows — couples (i, j) and (i+1, j+1) — so two files
        that share no pair of consecutive window hashes can yield nothing.
        """
        owners: dict[tuple[int, int], list[int]] = defaultdict(list)
        for number, sequence in enumerate(sequences):
            for step in set(pairwise(sequence)):
                owners[step].append(number)
        # Many windows are shared by the same files (common idioms): expand each set once.
        shared = {tuple(members) for members in owners.values() if len(members) > 1}
        partners: dict[int, set[int]] = defaultdict(set)
        for members in shared:
            for position, first in enumerate(members):
                partners[first].update(members[position + 1 :])
        for first in sorted(partners):
            for second in sorted(partners[first]):
                if self._pairs is None or self._pairs(first, second):
                    yield first, second


class _Limits(dict[Index, SuccessiveLinesLimits]):
    """``index_to_lines`` of :func:`hash_lineset`, made only for the windows that match."""

    def __init__(self, stripped: Sequence[LineSpecifs], min_lines: int) -> None:
        super().__init__()
        self._stripped = stripped
        self._min_lines = min_lines

    def __missing__(self, index: Index) -> SuccessiveLinesLimits:
        stripped, end = self._stripped, index + self._min_lines
        last = len(stripped) - 1
        end_line = stripped[end].line_number if end <= last else LineNumber(stripped[last].line_number + 1)
        limits = SuccessiveLinesLimits(start=LineNumber(stripped[index].line_number), end=end_line)
        self[index] = limits
        return limits


def window_hashes(lineset: LineSet, min_lines: int) -> tuple[LineSetHashResult, list[int]]:
    """What pylint's ``hash_lineset`` returns (same window hashes, in the same order), with the
    line limits of a window made only when a comparison asks for them: most windows of most
    files match nothing, and making them all was most of the cost of a rescan's comparison.
    Also the window hashes in line order."""
    stripped = lineset.stripped_lines
    hash_to_index: dict[int, list[Index]] = defaultdict(list)
    sequence: list[int] = []
    if len(stripped) < min_lines:
        return LineSetHashResult(hash_to_index, {}), sequence
    line_hashes = [hash(spec.text) for spec in stripped]
    window = sum(line_hashes[:min_lines])
    for i in range(len(stripped) - min_lines + 1):
        hash_to_index[window].append(Index(i))
        sequence.append(window)
        if i + min_lines < len(stripped):
            window = window - line_hashes[i] + line_hashes[i + min_lines]
    return LineSetHashResult(hash_to_index, _Limits(stripped, min_lines)), sequence


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
