"""The pure extractors, on files read from a real git repository with GitPython."""

from __future__ import annotations

import re

import pytest

from governance.requirements.extract import (
    CommitReference,
    Reference,
    commit_references,
    extract_references,
    is_test_path,
)
from tests.governance.requirements.conftest import make_repo, repo_files
from tests.governance.requirements.sources import FILES

EXPECTED = [
    Reference("BUD-0001", "code", "src/budget/service.py", 7),
    Reference("BUD-0001", "code", "web/app.js", 1),
    Reference("BUD-0001", "test", "tests/test_service.py", 6, "test_booking_returns_the_entry"),
    Reference("BUD-0001", "test", "tests/test_service.py", 19, "test_booking_twice"),
    Reference("BUD-0001", "test", "web/app.test.js", 3, "books an entry"),
    Reference("BUD-0002", "code", "src/budget/service.py", 11),
    Reference("BUD-0002", "test", "tests/test_service.py", 14, "test_unknown_account_has_zero_balance"),
    Reference("BUD-0003", "code", "src/budget/Approval.java", 4),
    Reference("BUD-0003", "test", "src/test/java/budget/ApprovalTest.java", 6, "approvesPositiveIds"),
    Reference("BUD-0004", "test", "src/test/java/budget/ApprovalTest.java", 13, "refusesZero"),
    Reference("BUD-0099", "code", "src/budget/service.py", 11),
    Reference("BUD-0404", "test", "tests/test_service.py", 19, "test_booking_twice"),
]


def test_references_from_a_real_repository(tmp_path) -> None:
    repo = make_repo(tmp_path / "bud", FILES)
    assert extract_references(repo_files(repo)) == EXPECTED


def test_targets_name_the_test() -> None:
    assert EXPECTED[2].target == "tests/test_service.py::test_booking_returns_the_entry"
    assert EXPECTED[0].target == "src/budget/service.py"


def test_custom_marker_pattern() -> None:
    files = [("src/a.py", "x = 1  # trace BUD-0007\n# REQ: BUD-0008\n")]
    found = extract_references(files, marker=r"#\s*trace\s+\S+")
    assert found == [Reference("BUD-0007", "code", "src/a.py", 1)]


def test_bad_custom_marker_is_an_error() -> None:
    with pytest.raises(re.error):
        extract_references([("a.py", "")], marker="(unclosed")


@pytest.mark.parametrize(
    ("path", "is_test"),
    [
        ("tests/test_a.py", True),
        ("pkg/test_a.py", True),
        ("pkg/a_test.py", True),
        ("src/test/java/ATest.java", True),
        ("src/main/java/ATest.java", True),
        ("web/a.spec.ts", True),
        ("web/__tests__/a.js", True),
        ("web/a.test.jsx", True),
        ("src/budget/service.py", False),
        ("src/main/java/Contest.java", False),
        ("web/latest.js", False),
        ("docs/testing.md", False),
    ],
)
def test_test_paths(path: str, is_test: bool) -> None:
    assert is_test_path(path) is is_test


def test_commit_references() -> None:
    commits = [
        ("a1", ["BUD-0001", "BUD-0002"], "BUD-0001 BUD-0002: booking\n\nlong body"),
        ("b2", [], "cleanup"),
        ("c3", ["BUD-0001", "BUD-0001", "not a key"], "BUD-0001 again"),
    ]
    assert commit_references(commits) == [
        CommitReference("BUD-0001", "a1", "BUD-0001 BUD-0002: booking"),
        CommitReference("BUD-0001", "c3", "BUD-0001 again"),
        CommitReference("BUD-0002", "a1", "BUD-0001 BUD-0002: booking"),
    ]
