"""A violation's English is what ``git push`` printed before wordings, and its wordings are stored.

The hook prints ``str()`` of each wording; these cases pin that text to the exact sentences
the rules wrote as f-strings, so a vendor's ``git push`` output did not change.
"""

from __future__ import annotations

from pathlib import Path

from governance.mirrors.gitcmd import ZERO_SHA
from governance.mirrors.push_checks import _describe
from governance.mirrors.push_rules import (
    PushRules,
    RefUpdate,
    Violation,
    check_namespace,
    check_protected,
    listed,
)
from scanners.wording import Wording, worded

RULES = PushRules(True, ("approved",), 10, True, ("main",))


def _zh(msgid: str) -> str:
    """A stand-in catalogue: every msgid marked, so a test sees which parts were translated."""
    return msgid if msgid == "%(text)s" else "«" + msgid + "»"


def test_namespace_and_protected_branch_keep_their_english() -> None:
    [namespace] = check_namespace([RefUpdate(ZERO_SHA, "a" * 40, "refs/govern/archive/x")])
    assert namespace.render() == (
        "[ref-namespace] refs/govern/archive/x: only branches (refs/heads/*) and tags (refs/tags/*) "
        "may be pushed\n    how to fix: push a branch or a tag instead"
    )
    [deleted] = check_protected(
        Path("/nonexistent"), RULES, [RefUpdate("b" * 40, ZERO_SHA, "refs/heads/main")]
    )
    assert (deleted.where, deleted.problem, deleted.fix) == (
        "refs/heads/main",
        "branch main is protected: it may not be deleted",
        "keep the branch; ask the PM if it must go",
    )
    assert deleted.problem_wording is not None
    assert deleted.problem_wording.shown(_zh) == "«branch main is protected: it may not be deleted»"


def test_describe_nests_each_requirement_and_the_list() -> None:
    described = _describe(["BUD-1", "BUD-2", "BUD-3"], {"BUD-1": "proposed", "BUD-3": "closed"})
    assert str(described) == "it references BUD-1 (proposed), BUD-2 (not registered), BUD-3 (closed)"
    assert described.shown(_zh) == (
        "«it references ««BUD-1 (proposed)», ««BUD-2 (not registered)», «BUD-3 (closed)»»»»"
    )
    assert str(_describe([], {})) == "it references no requirement"
    assert str(listed([])) == ""


def test_the_push_log_record_keeps_the_english_keys_and_adds_the_wordings() -> None:
    violation = Violation.of(
        "file-size",
        worded("%(commit)s file %(path)s", commit=worded("commit %(sha)s", sha="abc1234"), path="big.bin"),
        worded("is %(size)s MiB, over the %(limit)s MiB limit", size="9.0", limit="5.0"),
        worded("push a branch or a tag instead"),
    )
    record = violation.as_record()
    assert {k: record[k] for k in ("rule", "where", "problem", "fix")} == {
        "rule": "file-size",
        "where": "commit abc1234 file big.bin",
        "problem": "is 9.0 MiB, over the 5.0 MiB limit",
        "fix": "push a branch or a tag instead",
    }
    assert Wording.from_json(record["where_wording"]) == violation.where_wording
    assert Violation("secret", "w", "p", "f").as_record() == {
        "rule": "secret",
        "where": "w",
        "problem": "p",
        "fix": "f",
    }
