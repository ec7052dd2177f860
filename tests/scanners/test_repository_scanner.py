"""repository: required documents, OpenAPI, cycles and duplicates on a whole tree."""

from __future__ import annotations

from collections import Counter

import pytest

from scanners.base import ProjectScanner, SourceFile, Tree
from scanners.repository_scanner import (
    RepositoryScanner,
    check_openapi,
    check_required,
    matches,
)

BODY = b"""def f(a, b):
    x = a + b
    y = x * 2
    z = y - a
    w = z + b
    return w * x * y * z
"""

COMPLETE = {
    "docs/architecture.md": b"# Architecture",
    "api/openapi.yaml": b"openapi: 3.1.0\ninfo: {title: t, version: '1'}\n",
    "Dockerfile": b"FROM python:3.11",
    "CHANGELOG.md": b"",
    "docs/data-dictionary.xlsx": b"PK\x03\x04",
    "app/__init__.py": b"",
    "app/main.py": b"from app import util\n",
    "app/util.py": b"VALUE = 1\n",
}


def test_globs_match_any_folder_and_ignore_case() -> None:
    assert matches("Dockerfile", ["**/dockerfile"])
    assert matches("deploy/api/Dockerfile", ["**/dockerfile"])
    assert not matches("docs/dockerfile.md", ["**/dockerfile"])


def test_complete_repository_is_clean() -> None:
    scanner = RepositoryScanner()
    assert isinstance(scanner, ProjectScanner)
    result = scanner.scan_tree(Tree.from_mapping(COMPLETE))
    assert result.findings == ()
    assert result.metrics[""]["python_files"] == 3


def test_missing_documents_one_finding_each() -> None:
    drafts = check_required(["README.md"], {"changelog": ["changelog*"], "api": ["openapi.*"]})
    assert [d.rule for d in drafts] == ["repository:missing-changelog", "repository:missing-api"]
    assert check_required(["CHANGELOG"], {"changelog": ["changelog*"]}) == []


@pytest.mark.parametrize(
    ("content", "count"),
    [
        (b"openapi: 3.0.0\n", 0),
        (b'{"openapi": "3.0.0"}', 0),
        (b"swagger: '2.0'\n", 1),
        (b"openapi: [unclosed\n", 1),
        (b"- a list\n", 1),
    ],
)
def test_openapi_must_parse_and_declare_openapi(content: bytes, count: int) -> None:
    assert len(check_openapi(SourceFile("openapi.yaml", content))) == count


def test_cycles_duplicates_and_hostile_files() -> None:
    files = dict(COMPLETE)
    files |= {
        "app/a.py": b"from app import b\n" + BODY,
        "app/b.py": b"from app import a\n" + BODY,
        "app/blob.py": b"\x00\x00",
        "app/latin.py": "x = '\u00e9'".encode("latin-1"),
    }
    result = RepositoryScanner().scan_tree(Tree.from_mapping(files))
    assert Counter((f.rule, f.path, f.line) for f in result.findings) == Counter(
        {
            ("repository:import-cycle", "app/a.py", 1): 1,
            ("repository:duplicate-code", "app/a.py", 3): 1,
            ("repository:duplicate-code", "app/b.py", 3): 1,
        }
    )
    assert sorted(s.path for s in result.skipped) == ["app/blob.py", "app/latin.py"]


def test_required_documents_are_configurable() -> None:
    scanner = RepositoryScanner({"required": {"security": ["SECURITY.md"]}, "check_duplicates": False})
    result = scanner.scan_tree(Tree.from_mapping(COMPLETE))
    assert [f.rule for f in result.findings] == ["repository:missing-security"]
