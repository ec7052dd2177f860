"""Parsing ``git blame --porcelain``: a commit's author is given once and reused for its later lines."""

from __future__ import annotations

from governance.mirrors.blame import _parse

A = "a" * 40
B = "b" * 40
PORCELAIN = "\n".join(
    [
        f"{A} 3 3 1",
        "author Ann",
        "author-mail <ann@example>",
        "summary first",
        "\tx = 1",
        f"{B} 5 7 1",
        "author Bob",
        "author-mail <bob@example>",
        "\ty = 2",
        f"{A} 4 9 1",
        "\tz = 3",
    ]
)


def test_each_final_line_gets_its_commits_author() -> None:
    assert _parse(PORCELAIN) == {3: "Ann <ann@example>", 7: "Bob <bob@example>", 9: "Ann <ann@example>"}


def test_author_lines_before_any_commit_header_are_ignored() -> None:
    assert _parse("author Nobody\nauthor-mail <no@example>\n") == {}
