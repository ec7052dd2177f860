"""Radon's raw metrics (``radon.raw.analyze``), the same numbers without its repeated tokenizing.

Radon tokenizes every stripped line on its own and, while a statement or string stays open,
re-tokenizes the growing buffer after each added line: a 40-line call or docstring costs 40
tokenizations of up to 40 lines, and a lexer's 2,000-line table of patterns two thousand
(pygments' lexers, and pip's vendored copy of them, took most of a first sync's line count
and of the radon scanner's time at the scale rehearsal). This module walks the lines exactly
as radon does and only skips tokenizations whose outcome is certain:

* a line whose code (outside one-line strings and a comment) has only plain characters and
  balanced brackets is a group on its own (:func:`sloc` counts it without tokenizing);
* an open triple-quoted string cannot close on a line without its closing quotes;
* an open bracket cannot close while the bracket depth (counted outside one-line strings,
  escapes included, and comments, on lines without a line continuation or a string opening
  with three quotes) is not zero.

Anything else goes through radon's own tokenization, so odd code gets radon's answer,
including its ``SyntaxError``. Used by the mirrors' line count (:func:`sloc`) and the radon
scanner (:func:`analyze`).
"""

from __future__ import annotations

import re
import tokenize
from collections.abc import Iterator
from typing import Any

from radon import raw

_PLAIN = re.compile(r"[A-Za-z0-9_ \t.,:;=+\-*/%<>&|^~@()\[\]{}]*\Z")
# A one-line string as the tokenizer reads it, whatever its prefix: a backslash takes the next
# character with it (so an escaped quote does not close it); a backslash ending the line
# does not match (the string goes on to the next line).
_ONE_LINE_STRING = r"""'(?:[^'\n\\]|\\.)*'|"(?:[^"\n\\]|\\.)*\""""
# Code, one-line strings, then an optional comment: brackets in the code parts are exactly
# the tokenizer's bracket tokens (a backslash outside a string, a line continuation, fails
# the match; triple quotes are refused before).
_SIMPLE = re.compile(rf"""((?:[^'"#\\]|{_ONE_LINE_STRING})*)(#.*)?\Z""")
_STRINGS = re.compile(_ONE_LINE_STRING)
# One string token alone: a prefix the tokenizer accepts, then one quoted string.
_LONE_STRING = re.compile(rf"""(?:[rRuUfFbB]|[bB][rR]|[rR][bB]|[fF][rR]|[rR][fF])?({_ONE_LINE_STRING})\Z""")
_STRING_START = re.compile(r"[A-Za-z]*('''|\"\"\")")


def _depth(code: str) -> int:
    """Bracket depth change of code without strings or comments."""
    return sum(1 if c in "([{" else -1 for c in code if c in "()[]{}")


def _simple(line: str) -> re.Match[str] | None:
    """The line read as code, one-line strings and a comment, where the tokenizer reads it so.

    Code parts hold no quote, so both start a string at the same quote and, with the same
    escapes, end it at the same place, up to a string that opens with three quotes: there the
    tokenizer reads a triple-quoted string, so such a line is refused (a one-line string that
    holds three quotes is not: pygments' lexers are full of them).
    """
    match = _SIMPLE.match(line)
    if match is None:
        return None
    code = match.group(1)
    if any(code.startswith(("'''", '"""'), string.start()) for string in _STRINGS.finditer(code)):
        return None
    return match


def _one_line(line: str) -> int | None:
    """Source lines (0 or 1) of a line that is a group on its own for certain; None when unsure.

    Certain when the code outside one-line strings and a comment holds no character the
    tokenizer rejects and its brackets balance without closing before opening. Such a line is
    no source line when it is empty, only a comment, or only one string (radon's docstring).
    """
    match = _simple(line)
    if match is None:
        return None
    code = _STRINGS.sub("", match.group(1))
    if not _PLAIN.match(code) or not _balanced(code):
        return None
    if not match.group(1).strip() or (match.group(2) is None and _LONE_STRING.match(line)):
        return 0
    return 1


def _balanced(code: str) -> bool:
    depth = 0
    for char in code:
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def _simple_depth(line: str) -> int | None:
    """The line's bracket depth change when the tokenizer certainly sees it so; else None."""
    match = _simple(line)
    if match is None:
        return None
    return _depth(_STRINGS.sub("", match.group(1)))


def _closing_quotes(buffer: str, start: tuple[int, int]) -> str | None:
    row, column = start
    opened = _STRING_START.match(buffer.split("\n")[row - 1][column:])
    return opened.group(1) if opened else None


def _group(line: str, lines: Iterator[str]) -> tuple[list[Any], list[str]]:
    """Radon's ``_get_all_tokens``: the shortest run of lines from ``line`` that tokenizes cleanly."""
    buffer, used, depth = line, [line], _simple_depth(line)
    while True:
        try:
            tokens = raw._generate(buffer)
        except tokenize.TokenError as error:
            string = error.args[0] == "EOF in multi-line string"
            quotes = _closing_quotes(buffer, error.args[1]) if string else None
            while True:  # add lines; try again only where the attempt could succeed
                added = next(lines)
                buffer, depth = buffer + "\n" + added, _add(depth, added)
                used.append(added)
                if (quotes in added) if quotes else (string or depth is None or depth == 0):
                    break
            continue
        if not any(token[0] == tokenize.ERRORTOKEN for token in tokens):
            return tokens, used
        added = next(lines)
        buffer, depth = buffer + "\n" + added, None
        used.append(added)


def _add(depth: int | None, line: str) -> int | None:
    change = None if depth is None else _simple_depth(line)
    return None if depth is None or change is None else depth + change


def sloc(source: str) -> int:
    """``radon.raw.analyze(source).sloc``; raises ``SyntaxError`` where radon does."""
    count = 0
    lines = (line.strip() for line in source.splitlines())
    for line in lines:
        known = _one_line(line)
        if known is not None:
            count += known
            continue
        try:
            tokens, group = _group(line, lines)
        except StopIteration:
            raise SyntaxError("unterminated statement or string") from None
        if not (
            raw.is_single_token(tokenize.COMMENT, tokens) or raw.is_single_token(tokenize.STRING, tokens)
        ):
            count += sum(1 for used in group if used)
    return count


def analyze(source: str) -> raw.Module:
    """``radon.raw.analyze(source)``, field for field; raises ``SyntaxError`` where radon does."""
    lloc = comments = single_comments = multi = blank = sloc_lines = 0
    lines = (line.strip() for line in source.splitlines())
    number = 1
    for line in lines:
        try:
            tokens, group = _group(line, lines)
        except StopIteration:
            raise SyntaxError(f"SyntaxError at line: {number}") from None
        number += len(group)
        comments += sum(1 for token in tokens if raw.TOKEN_NUMBER(token) == tokenize.COMMENT)
        used = sum(1 for text in group if text)
        if raw.is_single_token(tokenize.COMMENT, tokens):
            single_comments += 1
        elif raw.is_single_token(tokenize.STRING, tokens) and tokens[0][2][0] == tokens[0][3][0]:
            single_comments += 1  # a one-line docstring
        elif raw.is_single_token(tokenize.STRING, tokens):
            multi, blank = multi + used, blank + len(group) - used
        else:
            sloc_lines, blank = sloc_lines + used, blank + len(group) - used
        lloc += raw._logical(tokens)
    return raw.Module(
        sloc_lines + blank + multi + single_comments,
        lloc,
        sloc_lines,
        comments,
        multi,
        blank,
        single_comments,
    )
