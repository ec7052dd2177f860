"""Whether the scanned commit's tests verify each requirement: the one definition, with roll-up.

The rules (``requirements_not_verified``, TST-008) and the traceability matrix both read
:func:`requirement_verification`; nothing else decides what "verified" means.

A requirement's *own* verdict comes from the tests linked to it:

* ``verified``: every linked test ran and passed (a skip is not a pass);
* ``failing``: one of them failed or errored;
* ``missing``: a linked test is absent from the evidence or was skipped;
* ``untested``: no test is linked.

Requirements form a hierarchy (``RequirementFact.parent``), and a parent is only as
verified as everything below it: its verdict is the worst of its own and of every
descendant's own verdict (failing, then missing, then untested, then verified), and
``flagged_by`` names the descendants whose own verdict is not ``verified``. A parent with
no test of its own is judged by its descendants alone, since they are how it is tested;
with no judged descendant either, it is ``untested``. Only approved (or later)
requirements are judged, but the walk goes through unjudged ones, so a proposed child's
approved grandchild still counts for the grandparent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from standards.facts import APPROVED_STATUSES, RepositoryFacts, RequirementFact

#: Verdicts from worst to best: a roll-up keeps the first that occurs.
VERDICTS: tuple[str, ...] = ("failing", "missing", "untested", "verified")


@dataclass(frozen=True)
class Verification:
    """A requirement's rolled-up verdict and the descendants that pull it below ``verified``."""

    verdict: str
    flagged_by: tuple[str, ...] = ()


def _own(tests: Iterable[str], results: Mapping[str, str]) -> str:
    tests = tuple(tests)
    outcomes = {results.get(test) for test in tests}
    if not tests:
        return "untested"
    if outcomes & {"failed", "error"}:
        return "failing"
    return "verified" if outcomes <= {"passed"} else "missing"


def _children(requirements: Iterable[RequirementFact]) -> dict[str, list[str]]:
    children: dict[str, list[str]] = {}
    for requirement in requirements:
        if requirement.parent is not None:
            children.setdefault(requirement.parent, []).append(requirement.key)
    return children


def _descendants(key: str, children: Mapping[str, list[str]]) -> list[str]:
    """Every key below ``key``, each once (a cycle in hand-made facts cannot loop forever)."""
    seen: set[str] = {key}
    found: list[str] = []
    stack = list(children.get(key, ()))
    while stack:
        child = stack.pop()
        if child not in seen:
            seen.add(child)
            found.append(child)
            stack.extend(children.get(child, ()))
    return found


def _number(key: str) -> tuple[int, str]:
    tail = key.rsplit("-", 1)[-1]
    return (int(tail) if tail.isdigit() else 0, key)


def _rolled(own: str, has_tests: bool, below: Mapping[str, str]) -> Verification:
    verdicts = [own] if has_tests or not below else []
    verdicts.extend(below.values())
    worst = min(verdicts, key=VERDICTS.index)
    flagged = sorted((key for key, verdict in below.items() if verdict != "verified"), key=_number)
    return Verification(worst, tuple(flagged))


def requirement_verification(facts: RepositoryFacts) -> dict[str, Verification]:
    """Approved requirement key -> its rolled-up verification (see the module doc).

    Empty when no test evidence exists for the scanned commit.
    """
    results = facts.test_results
    if results is None:
        return {}
    requirements = facts.requirements or ()
    own = {
        r.key: _own(facts.test_markers.get(r.key, ()), results)
        for r in requirements
        if r.status in APPROVED_STATUSES
    }
    children = _children(requirements)
    verdicts: dict[str, Verification] = {}
    for key, verdict in own.items():
        below = {d: own[d] for d in _descendants(key, children) if d in own}
        verdicts[key] = _rolled(verdict, bool(facts.test_markers.get(key)), below)
    return verdicts
