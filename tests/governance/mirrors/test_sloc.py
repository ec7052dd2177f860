"""Govern's fast count of Python source lines gives radon's number, error for error."""

from __future__ import annotations

import io
import tokenize
from pathlib import Path

import pygount
import pytest
from radon import raw

from governance.mirrors import loc
from governance.mirrors.sloc import sloc

ROOT = Path(__file__).resolve().parents[3]

ODD_CODE = {
    "brackets in strings": 'f(\n"(",\n")", "[" ,\n  x)\ny = 1\n',
    "brackets in comments": "x = [  # (\n1,  # ]\n]\nz = {\n}\n",
    "backslash continuation": "x = 1 + \\\n2\ny = (1 +\\\n 2)\n",
    "closing before opening": ")\nx = 1\n(\n",
    "docstring with escaped quotes": 'def f():\n    """a (\n\\"""\n    b"""\n    return 1\n',
    "string continued by backslash": "x = 'abc\\\ndef'\ny = [\n'(', \"'\"]\n",
    "f-strings with nested quotes": "x = f\"{a['k']}\" + (\n  f'{b[\"(\"]}'\n)\n",
    "error tokens": "x = $\ny = (1,\n?)\nz = 2\n",
    "bracket inside a multi-line string": 'x = """(\n"""\ny = (1,\n2)\n',
    "string inside an open call": 'call(a,\n  """doc(\n  """,\n  b)\nc = 3\n',
    "triple quote after a string": "x = ''\ny = '''\n(\n'''\n",
    "unterminated call": "f(1,\n2,\n",
    "unterminated docstring": '"""never\nclosed\n',
    "empty and comment-only": "\n\n# only\n   \n#!/usr/bin/env python\n",
    "lone strings and prefixes": '\'a\'\nb\'x\'\nur\'x\'\nRb"y"\nf"y"\n"a" "b"\n"doc"  # c\nx = "#" # (\n',
    "strings beside odd characters": "x = 'a' $\ny = ('(' ?)\nz = '\u00e9' + \u00e9\n",
}


def _radon(text: str) -> int | str:
    try:
        return int(raw.analyze(text).sloc)
    except (SyntaxError, tokenize.TokenError) as error:
        return type(error).__name__


def _fast(text: str) -> int | str:
    try:
        return sloc(text)
    except (SyntaxError, tokenize.TokenError) as error:
        return type(error).__name__


@pytest.mark.parametrize("name", sorted(ODD_CODE))
def test_odd_code_counts_as_radon_counts_it(name: str) -> None:
    assert _fast(ODD_CODE[name]) == _radon(ODD_CODE[name])


def test_govern_own_modules_count_as_radon_counts_them() -> None:
    """Real code with long calls, docstrings and literals: every module of the governance package."""
    paths = sorted((ROOT / "governance").rglob("*.py"))
    assert len(paths) > 100
    differing = {str(p.relative_to(ROOT)): (_fast(t), _radon(t)) for p in paths if (t := p.read_text())}
    assert {k: v for k, v in differing.items() if v[0] != v[1]} == {}


@pytest.mark.parametrize("name", ["README.md", "docs/notes.rst", "CHANGES.txt", "govern.1"])
def test_markup_files_are_not_lexed_and_pygount_agrees_they_hold_no_code(name: str) -> None:
    text = "Title\n=====\n\n.. code-block:: python\n\n    x = compute(1)\n\n```python\ny = 2\n```\n"
    analysis = pygount.SourceAnalysis.from_file(
        name, "t", encoding="utf-8", file_handle=io.BytesIO(text.encode())
    )
    assert analysis.code_count == 0
    assert loc.count_blob(name, text.encode()) is None
