"""Window steps choose the files to compare without changing what the comparison finds.

The law: comparing only the files of two sides that share a step (as
:mod:`governance.scans.crossdup` does) gives exactly the copies that comparing every file
gives. Checked on real code, pylint's own sources split into two sides (every other
file), and on a small case per property.
"""

from __future__ import annotations

from pathlib import Path

import pylint
import pytest

from governance.scans.crossdup import sharing, step_index
from scanners import dupsteps
from scanners.blobfacts import extract, similar_fact
from scanners.duplication import StrippedLines, cross_blocks

BODY = "".join(f"    value_{i} = data[{i}] * {i}\n" for i in range(7))


def _lines(source: str) -> StrippedLines:
    lines = similar_fact(source.encode())["lines"]
    assert lines is not None
    return lines


def _steps(lines: StrippedLines, min_lines: int = 4) -> list[int]:
    return dupsteps.window_steps(lines, min_lines)


def _filtered(
    own: list[tuple[str, StrippedLines]], other: list[tuple[str, StrippedLines]], min_lines: int
) -> tuple[list[object], int]:
    """The copies found comparing only the sharing files, and how many files were compared."""
    own_paths, other_paths = sharing(
        step_index({p: _steps(lines, min_lines) for p, lines in own}),
        {p: _steps(lines, min_lines) for p, lines in other},
    )
    chosen_own = [(p, lines) for p, lines in own if p in own_paths]
    chosen_other = [(p, lines) for p, lines in other if p in other_paths]
    return list(cross_blocks(chosen_own, chosen_other, min_lines)), len(chosen_own) + len(chosen_other)


@pytest.mark.slow
@pytest.mark.parametrize("min_lines", [4, 6])
def test_comparing_only_the_sharing_files_of_pylint_finds_every_copy(min_lines: int) -> None:
    root = Path(pylint.__file__).parent
    sides: dict[bool, list[tuple[str, StrippedLines]]] = {True: [], False: []}
    for number, path in enumerate(sorted(root.rglob("*.py"))):
        lines = similar_fact(path.read_bytes())["lines"]
        if lines is not None:
            sides[number % 2 == 0].append((str(path.relative_to(root)), lines))
    everything = cross_blocks(sides[True], sides[False], min_lines)
    found, compared = _filtered(sides[True], sides[False], min_lines)
    assert len(everything) > 5
    assert found == everything
    assert compared < (len(sides[True]) + len(sides[False])) / 4  # the point of it


def test_a_shared_block_is_a_shared_step_and_reordered_lines_too() -> None:
    one = _steps(_lines(f"def f(data):\n{BODY}"))
    two = _steps(_lines(f"X = 1\n\n\ndef g(data):\n{BODY}\n\nY = 2\n"))
    assert set(one) & set(two)
    # symilar's window hash is a sum: the same lines in another order within a window match too
    swapped = BODY.splitlines(keepends=True)
    swapped[0], swapped[1] = swapped[1], swapped[0]
    assert set(one) & set(_steps(_lines("def h(data):\n" + "".join(swapped))))
    assert not set(one) & set(_steps(_lines("def k(data):\n" + BODY.replace("data", "rows"))))


def test_short_files_have_no_steps_and_every_file_on_both_sides_is_found() -> None:
    assert _steps(_lines("def f(data):\n    return data\n")) == []
    own = [
        ("a.py", _lines(f"def f(data):\n{BODY}")),
        ("b.py", _lines("def g():\n    return 1\n")),
        ("c.py", _lines(f"def f2(data):\n{BODY}")),  # the same steps as a.py
    ]
    other = [
        ("x.py", _lines(f"def h(data):\n{BODY}")),
        ("y.py", _lines(f"def i(data):\n{BODY}")),
        ("z.py", _lines("def j():\n    return 2\n")),
    ]
    own_paths, other_paths = sharing(
        step_index({p: _steps(lines) for p, lines in own}), {p: _steps(lines) for p, lines in other}
    )
    assert (own_paths, other_paths) == ({"a.py", "c.py"}, {"x.py", "y.py"})


def test_steps_round_trip_as_a_fact() -> None:
    fact = extract("windows", f"def f(data):\n{BODY}".encode(), {"min_lines": 4})
    assert list(dupsteps.decode(fact["steps"])) == _steps(_lines(f"def f(data):\n{BODY}"))
    assert extract("windows", b"def broken(:\n", {"min_lines": 4}) == {"steps": None}
