"""Govern's radon raw metrics (the mirrors' line count, the radon scanner) give radon's numbers,
error for error, with far fewer tokenizations."""

from __future__ import annotations

import tokenize
from pathlib import Path

import pytest
from radon import raw

from scanners.radon_raw import analyze, sloc

ROOT = Path(__file__).resolve().parents[2]

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
    "escapes in one-line strings": (
        "x = ['\\'', \"\\\"\", r'\\d+(', 'a\\\\']\ny = (r'\\(',\n  '\\)')\nz = 'e\\\\'\n"
    ),
    "a lexer's table of patterns": (
        "tokens = {\n    'root': [\n        (r'\\s+', Text),\n        (r'[\\[\\]{}()]', Punctuation),\n"
        "        (r\"\\\\\\n\", Text),  # (\n        (r'\\'(\\\\\\\\|\\\\[^\\\\]|[^\\'\\\\])*\\'', String),\n"
        "    ],\n}\nafter = 1\n"
    ),
    "escaped quote then a real one": "a = ('\\'' ,\n'(')\nb = 'x\\\\' + ')'\n",
    "triple quotes inside one-line strings": (
        "x = ('(\"\"\")', \"(''')\",\n  1)\ny = '\"\"\"'\nz = 2  # '''\n"
    ),
    "an empty string then a triple-quoted one": "x = '' + '''(\n''' + (\n1)\ny = \"\"\"a\"(\"\"\" + (\n2)\n",
    "string continued after an escaped backslash": "s = ('a\\\\\\\nb')\nt = 2\n",
}


def _radon(text: str) -> tuple[object, object]:
    """radon's raw metrics and their sloc, or the error's name for both."""
    try:
        module = raw.analyze(text)
    except (SyntaxError, tokenize.TokenError) as error:
        return type(error).__name__, type(error).__name__
    return tuple(module), module.sloc


def _fast(text: str) -> tuple[object, object]:
    try:
        module = tuple(analyze(text))
    except (SyntaxError, tokenize.TokenError) as error:
        module = type(error).__name__
    try:
        return module, sloc(text)
    except (SyntaxError, tokenize.TokenError) as error:
        return module, type(error).__name__


@pytest.mark.parametrize("name", sorted(ODD_CODE))
def test_odd_code_counts_as_radon_counts_it(name: str) -> None:
    assert _fast(ODD_CODE[name]) == _radon(ODD_CODE[name])


def test_govern_own_modules_count_as_radon_counts_them() -> None:
    """Real code with long calls, docstrings, literals and patterns: every module of Govern."""
    paths = sorted(p for package in ("governance", "scanners") for p in (ROOT / package).rglob("*.py"))
    assert len(paths) > 100
    differing = {str(p.relative_to(ROOT)): (_fast(t), _radon(t)) for p in paths if (t := p.read_text())}
    assert {k: v for k, v in differing.items() if v[0] != v[1]} == {}


def test_a_table_of_escaped_patterns_is_tokenized_once_not_once_per_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """pygments' lexers are dicts of thousands of lines of regular expressions full of
    backslashes; each line once made radon's whole growing buffer be tokenized again (pip's
    vendored pygments took 105 s of a first sync). Escapes in one-line strings keep the
    bracket depth known, so the group is tokenized when it can close, not after every line."""
    rows = "".join(f"        (r'\\\\s+\\\\({n}\\\\)[\\\\[\\\\]]', Text, '#pop'),\n" for n in range(200))
    source = f"tokens = {{\n    'root': [\n{rows}    ],\n}}\n"
    expected = _radon(source)
    calls = []
    generate = raw._generate
    monkeypatch.setattr(raw, "_generate", lambda text: calls.append(text) or generate(text))
    assert sloc(source) == expected[1] == 204
    assert len(calls) <= 2
    calls.clear()
    assert tuple(analyze(source)) == expected[0]
    assert len(calls) <= 2
