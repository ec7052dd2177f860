"""Finding requirement references in source files and commits: pure functions, no I/O.

Inputs are plain values — ``(path, text)`` pairs and ``(sha, refs)`` commits — so the scan
pipeline can feed files read from a mirror, and tests can feed literals.

What counts as a reference:

* **code**: a comment marker in any non-test file, by default ``# REQ: BUD-0042`` /
  ``// REQ: BUD-0042`` / ``/* REQ: BUD-1, BUD-2 */`` / ``-- REQ: …``; a module can replace the
  marker pattern (``Module.settings["requirement_marker"]``, a regular expression whose match
  is searched for keys).
* **test**, in test files only (``tests/``, ``test_*.py``, ``*_test.py``, ``*Test.java``,
  ``src/test/``, ``*.test.js``, ``*.spec.ts``, ``__tests__/`` …):
  pytest markers ``@pytest.mark.requirement("BUD-0042", …)``, docstring or comment tags
  ``Requirement: BUD-0042`` / ``Requirements: BUD-1, BUD-2``, Javadoc/JSDoc tags
  ``@requirement BUD-0042``, Java annotations ``@Requirement("BUD-0042")``, and the code
  marker itself. A test reference is named after the nearest test (``path::test_name``).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

KEY = re.compile(r"\b[A-Z][A-Z0-9]{0,19}-\d{1,6}\b")
_KEY_LIST = r"[A-Z][A-Z0-9]*-\d+(?:\s*[,;]\s*[A-Z][A-Z0-9]*-\d+)*"
DEFAULT_MARKER = r"(?:#|//|/\*|\*|--)\s*REQ(?:UIREMENT)?S?\s*[:：]\s*" + _KEY_LIST
_TEST_TAGS = re.compile(
    r"pytest\.mark\.requirements?\(([^)]*)\)"
    r"|\bRequirements?\s*[:：]\s*(" + _KEY_LIST + ")"
    r"|@requirements?\s+(" + _KEY_LIST + ")"
    r"|@Requirements?\(([^)]*)\)",
    re.IGNORECASE,
)
_TEST_PATH = re.compile(
    r"(^|/)(tests?|__tests__|spec)/|(^|/)src/test/|(^|/)test_[^/]*\.py$|_test\.(py|go)$"
    r"|(Test|Tests|IT)\.(java|kt)$|\.(test|spec)\.[jt]sx?$",
)
_TEST_DEF = re.compile(
    r"\bdef\s+(test\w*)|\bvoid\s+(\w+)\s*\(|\b(?:it|test)\s*\(\s*['\"`]([^'\"`]+)|\bclass\s+(Test\w*)"
)
_PREAMBLE = re.compile(r"^\s*(@|#|//|/\*|\*|$)")  # decorators, annotations, comments, blank lines
LOOK_AHEAD, LOOK_BEHIND = 8, 40

Kind = Literal["code", "test"]


@dataclass(frozen=True, order=True)
class Reference:
    """One mention of a requirement key: where it is and what kind of trace it makes."""

    key: str
    kind: Kind
    path: str
    line: int
    test: str | None = None

    @property
    def target(self) -> str:
        """What the link points at: the file, or the test inside it."""
        return f"{self.path}::{self.test}" if self.test else self.path


@dataclass(frozen=True, order=True)
class CommitReference:
    """A commit naming a requirement key (from ``Commit.requirement_refs``)."""

    key: str
    sha: str
    summary: str = ""


def is_test_path(path: str) -> bool:
    """Whether a repository path is a test file, by the usual conventions of Python, Java and JS."""
    return bool(_TEST_PATH.search(path))


def compile_marker(pattern: str | None) -> re.Pattern[str]:
    """The code marker pattern (the default when None); raises ``re.error`` on a bad pattern."""
    return re.compile(pattern or DEFAULT_MARKER)


def _keys(text: str) -> list[str]:
    return KEY.findall(text)


def _name(line: str) -> str | None:
    match = _TEST_DEF.search(line)
    return next(group for group in match.groups() if group) if match else None


def _test_name(lines: list[str], index: int) -> str | None:
    """The test a tag belongs to.

    A tag above a test (decorator, annotation, comment) belongs to the test definition that
    follows through decorators/comments only; otherwise (a docstring tag) to the nearest
    definition above it.
    """
    for candidate in range(index, min(index + LOOK_AHEAD, len(lines))):
        name = _name(lines[candidate])
        if name:
            return name
        if candidate > index and not _PREAMBLE.match(lines[candidate]):
            break
    for candidate in range(index - 1, max(index - LOOK_BEHIND, -1), -1):
        name = _name(lines[candidate])
        if name:
            return name
    return None


def _line_keys(line: str, marker: re.Pattern[str], test: bool) -> list[str]:
    found = [key for match in marker.finditer(line) for key in _keys(match.group(0))]
    if test:
        found += [key for match in _TEST_TAGS.finditer(line) for key in _keys(match.group(0))]
    return list(dict.fromkeys(found))


def _candidate_lines(text: str) -> list[int]:
    """Indexes of the lines holding anything shaped like a key: only these need the marker patterns."""
    starts = [0, *(match.end() for match in re.finditer("\n", text))]
    return sorted({bisect_right(starts, match.start()) - 1 for match in KEY.finditer(text)})


def references_in_file(path: str, text: str, marker: re.Pattern[str]) -> list[Reference]:
    """Every reference in one file, one per (key, line)."""
    candidates = _candidate_lines(text)
    if not candidates:
        return []
    test = is_test_path(path)
    lines = text.split("\n")
    found: list[Reference] = []
    for index in candidates:
        keys = _line_keys(lines[index], marker, test)
        if not keys:
            continue
        name = _test_name(lines, index) if test else None
        found.extend(Reference(key, "test" if test else "code", path, index + 1, name) for key in keys)
    return found


def extract_references(files: Iterable[tuple[str, str]], *, marker: str | None = None) -> list[Reference]:
    """References in many files (``(path, text)`` pairs), sorted for stable output."""
    pattern = compile_marker(marker)
    return sorted(ref for path, text in files for ref in references_in_file(path, text, pattern))


def commit_references(commits: Iterable[tuple[str, Iterable[str], str]]) -> list[CommitReference]:
    """Commits' requirement refs (``(sha, refs, message)``) as references, duplicates dropped."""
    found: dict[tuple[str, str], str] = {}
    for sha, refs, message in commits:
        summary = message.split("\n", 1)[0][:200] if message else ""
        for key in refs:
            if KEY.fullmatch(str(key)):
                found[(key, sha)] = summary
    return [CommitReference(key, sha, summary) for (key, sha), summary in sorted(found.items())]
