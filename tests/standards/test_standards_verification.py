"""Verification rolled up a requirement hierarchy: a failing or missing leaf flags every ancestor."""

from __future__ import annotations

from standards.factchecks import FACTS
from standards.facts import RepositoryFacts, RequirementFact
from standards.verification import Verification, requirement_verification


def _facts(
    tree: dict[str, str | None], results: dict[str, str], statuses: dict[str, str] | None = None
) -> RepositoryFacts:
    """``tree``: key → parent; each key but the roots' is tested by ``t.py::<key>``."""
    statuses = statuses or {}
    return RepositoryFacts(
        requirements=tuple(
            RequirementFact.model_validate({"key": k, "status": statuses.get(k, "approved"), "parent": p})
            for k, p in tree.items()
        ),
        test_markers={k: (f"t.py::{k}",) for k in tree if f"t.py::{k}" in results},
        test_results=results,  # type: ignore[arg-type]
    )


TREE: dict[str, str | None] = {"R-1": None, "R-2": "R-1", "R-3": "R-2", "R-4": "R-2", "R-5": "R-1"}


def test_a_failing_leaf_flags_its_parent_and_grandparent_but_not_its_sibling() -> None:
    results = {"t.py::R-3": "failed", "t.py::R-4": "passed", "t.py::R-5": "passed", "t.py::R-2": "passed"}
    assert requirement_verification(_facts(TREE, results)) == {
        "R-1": Verification("failing", ("R-3",)),  # no test of its own: judged by what is below
        "R-2": Verification("failing", ("R-3",)),  # its own test passed
        "R-3": Verification("failing"),
        "R-4": Verification("verified"),
        "R-5": Verification("verified"),
    }


def test_all_descendants_verified_verify_an_untested_parent() -> None:
    results = {f"t.py::R-{n}": "passed" for n in (2, 3, 4, 5)}
    verdicts = requirement_verification(_facts(TREE, results))
    assert {k: v.verdict for k, v in verdicts.items()} == dict.fromkeys(TREE, "verified")


def test_worst_wins_and_every_unverified_descendant_is_named() -> None:
    results = {"t.py::R-3": "skipped", "t.py::R-4": "failed", "t.py::R-2": "passed"}  # R-5 untested
    verdicts = requirement_verification(_facts(TREE, results))
    assert verdicts["R-1"] == Verification("failing", ("R-3", "R-4", "R-5"))
    assert verdicts["R-2"] == Verification("failing", ("R-3", "R-4"))


def test_the_walk_goes_through_an_unjudged_middle_and_survives_a_cycle() -> None:
    results = {"t.py::R-3": "failed", "t.py::R-4": "passed", "t.py::R-5": "passed"}
    verdicts = requirement_verification(_facts(TREE, results, {"R-2": "proposed"}))
    assert "R-2" not in verdicts and verdicts["R-1"] == Verification("failing", ("R-3",))
    looped = requirement_verification(_facts({"A-1": "A-2", "A-2": "A-1"}, {"t.py::A-1": "passed"}))
    assert looped == {"A-1": Verification("untested", ("A-2",)), "A-2": Verification("verified")}


def test_tst008_counts_a_flagged_parent_and_names_the_child() -> None:
    results = {"t.py::R-3": "failed", "t.py::R-4": "passed", "t.py::R-5": "passed", "t.py::R-2": "passed"}
    spec = FACTS["requirements_not_verified"]
    measured = spec.measure(_facts(TREE, results), spec.params)
    assert measured.value == 3.0
    assert sorted(measured.offenders) == ["R-1 (failing: R-3)", "R-2 (failing: R-3)", "R-3 (failing)"]
