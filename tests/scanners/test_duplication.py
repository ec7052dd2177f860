"""Duplicate code from cached facts equals pylint's own symilar run on the same files.

The reference is ``Symilar`` fed the files' bytes as the repository checks did before
facts (every pair compared, every file parsed): the same copies, sizes, lines, messages
and fingerprints are expected on real code (pylint's own sources, 189 files with 34
duplicated blocks, installed here) and on a small tree built to hold each case.
"""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pylint
import pytest
from pylint.checkers.symilar import Symilar

from scanners._common import Draft, finalise
from scanners.base import Finding, SourceFile, Tree
from scanners.blobfacts import similar_fact
from scanners.duplication import cross_blocks
from scanners.repository_scanner import RepositoryScanner


def _reference(files: dict[str, bytes], min_lines: int = 4) -> list[Finding]:
    """The repository checks' duplicate-code before per-blob facts, verbatim."""
    symilar = Symilar(
        min_lines, ignore_comments=True, ignore_docstrings=True, ignore_imports=True, ignore_signatures=True
    )
    sources = [SourceFile(p, files[p]) for p in sorted(files)]
    for source in sources:
        symilar.append_stream(source.path, io.BytesIO(source.content), "utf-8")
    drafts = []
    for size, couples in symilar._compute_sims():
        copies = sorted((lineset.name, start + 1, end) for lineset, start, end in couples)
        for path, start, end in copies:
            others = ", ".join(f"{p}:{s}" for p, s, _ in copies if (p, s) != (path, start))
            drafts.append(
                Draft(
                    "repository:duplicate-code",
                    "repository",
                    "duplicate-code",
                    "minor",
                    path,
                    start,
                    end,
                    f"{size} similar lines also in {others}",
                )
            )
    return sorted(finalise(drafts, {s.path: s for s in sources}), key=lambda f: f.fingerprint)


def _from_facts(files: dict[str, bytes]) -> list[Finding]:
    """The findings as the reference writes them: each message's wording (which the reference,
    pylint's own words, has none of) is checked to say the same and then left out."""
    result = RepositoryScanner({"required": {}}).scan_tree(Tree.from_mapping(files))
    found = [f for f in result.findings if f.rule == "repository:duplicate-code"]
    assert all(str(f.wording) == f.message for f in found)
    return sorted((replace(f, wording=None) for f in found), key=lambda f: f.fingerprint)


@pytest.mark.slow
def test_pylint_sources_give_symilars_findings() -> None:
    root = Path(pylint.__file__).parent
    files = {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.py"))}
    expected = _reference(files)
    assert len(expected) > 10
    assert _from_facts(files) == expected


def test_small_tree_with_comments_docstrings_and_three_copies() -> None:
    body = (
        "".join(f"    value_{i} = data[{i}] * {i}  # step {i}\n" for i in range(7)) + "    return value_6\n"
    )
    files = {
        "a.py": f'"""A."""\nimport os\n\n\ndef one(data):\n    """Doc."""\n{body}'.encode(),
        "b.py": f"def two(data):\n{body}\n\nX = 1\n".encode(),
        "c/d.py": f"# copy\ndef three(data):\n{body}".encode(),
        "e.py": b"def other():\n    return 1\n",
    }
    expected = _reference(files)
    assert expected and _from_facts(files) == expected


def test_cross_blocks_only_pair_the_two_sides() -> None:
    body = "".join(f"    value_{i} = data[{i}] * {i}\n" for i in range(7)).encode()
    own = [
        ("a.py", similar_fact(b"def f(data):\n" + body)["lines"]),
        ("b.py", similar_fact(b"def g(data):\n" + body)["lines"]),
    ]
    other = [("x.py", similar_fact(b"def h(data):\n" + body)["lines"])]
    found = cross_blocks(own, other, 4)
    assert {(c.path, c.other_path) for c in found} == {("a.py", "x.py"), ("b.py", "x.py")}
    assert all(c.lines == 7 and c.start == 2 for c in found)
    assert cross_blocks(own, [], 4) == []
