"""Globs: ``*`` stays in one folder, ``**/`` spans any number of folders."""

from __future__ import annotations

import pytest

from standards.globs import PathFilter, check_glob, compile_globs


@pytest.mark.parametrize(
    ("glob", "path", "expected"),
    [
        ("docs/*.md", "docs/a.md", True),
        ("docs/*.md", "docs/sub/a.md", False),
        ("**/test_*.py", "test_a.py", True),
        ("**/test_*.py", "pkg/sub/test_a.py", True),
        ("**/tests/**", "a/tests/b/c.py", True),
        ("**/tests/**", "a/testsx/c.py", False),
        ("Dockerfile", "src/Dockerfile", False),
        ("**/Dockerfile", "src/Dockerfile", True),
        ("**/migrations/[0-9]*.py", "app/migrations/0001_init.py", True),
        ("**/migrations/[0-9]*.py", "app/migrations/init.py", False),
        ("**/*[!x].py", "a/b.py", True),
        ("a?c", "abc", True),
        ("a?c", "a/c", False),
    ],
)
def test_glob_semantics(glob: str, path: str, expected: bool) -> None:
    assert (compile_globs((glob,)).match(path) is not None) is expected


def test_check_glob_reports_unclosed_bracket_and_empty() -> None:
    assert "unclosed" in (check_glob("src/[abc.py") or "")
    assert check_glob("  ") == "empty glob"
    assert check_glob("**/*.py") is None


def test_path_filter_include_exclude() -> None:
    keep = PathFilter(["src/**"], ["**/tests/**"])
    assert keep("src/a.py")
    assert not keep("src/tests/a.py")
    assert not keep("lib/a.py")
    assert PathFilter().trivial
    assert not keep.trivial
