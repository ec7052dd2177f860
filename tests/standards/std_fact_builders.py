"""Repository facts that make a named fact measure a chosen value (test support).

Used by the catalogue tests to build, from a rule's own binding, one input on each side
of its threshold. Each builder returns facts whose fact value is exactly the requested
number (counts) or ``n / 100`` (ratios), which the tests assert before judging the rule.
"""

from __future__ import annotations

from collections.abc import Callable

from standards.facts import (
    CommitFact,
    ComponentLicence,
    DependencyFact,
    LicencePolicy,
    RepositoryFacts,
    RequirementFact,
    VulnerableComponent,
)

Builder = Callable[[int], RepositoryFacts]
RATIO_FACTS = frozenset({"requirements_tested_ratio", "test_files_ratio"})


def _registered(n_extra: int = 0) -> tuple[RequirementFact, ...]:
    return tuple(RequirementFact(key=f"REQ-{i}", status="approved") for i in range(1 + n_extra))


def _commits_without(n: int) -> RepositoryFacts:
    commits = [CommitFact(sha=f"c{i}", paths=("src/a.py",)) for i in range(n)]
    commits.append(CommitFact(sha="ok", requirement_refs=("REQ-0",), paths=("src/a.py",)))
    commits.append(CommitFact(sha="merge", is_merge=True))
    return RepositoryFacts(commits=tuple(commits), requirements=_registered())


def _unknown_refs(n: int) -> RepositoryFacts:
    commits = tuple(CommitFact(sha=f"c{i}", requirement_refs=(f"NOPE-{i}",)) for i in range(n))
    return RepositoryFacts(
        commits=(*commits, CommitFact(sha="ok", requirement_refs=("REQ-0",))), requirements=_registered()
    )


def _test_markers_unknown(n: int) -> RepositoryFacts:
    markers = {f"NOPE-{i}": ("tests/test_a.py::t",) for i in range(n)}
    markers["REQ-0"] = ("tests/test_a.py::t0",)
    return RepositoryFacts(test_markers=markers, requirements=_registered())


def _unapproved(n: int) -> RepositoryFacts:
    reqs = [RequirementFact(key=f"P-{i}", status="proposed" if i % 2 else "rejected") for i in range(n)]
    reqs.append(RequirementFact(key="REQ-0", status="approved"))
    commits = tuple(CommitFact(sha=f"c{i}", requirement_refs=(r.key,)) for i, r in enumerate(reqs))
    return RepositoryFacts(commits=commits, requirements=tuple(reqs))


def _delivered(n: int, evidence: str) -> RepositoryFacts:
    reqs = [RequirementFact(key=f"D-{i}", status="implemented") for i in range(n)]
    reqs.append(RequirementFact(key="DONE", status="verified"))
    reqs.append(RequirementFact(key="WIP", status="in_progress"))
    keys = {"DONE": ("x",)}
    if evidence == "tests":
        return RepositoryFacts(
            requirements=tuple(reqs),
            test_markers=keys,
            commits=tuple(CommitFact(sha=f"c{i}", requirement_refs=(r.key,)) for i, r in enumerate(reqs)),
        )
    return RepositoryFacts(
        requirements=tuple(reqs), code_markers=keys, test_markers={r.key: ("t",) for r in reqs}
    )


def _tested_ratio(n: int) -> RepositoryFacts:
    reqs = tuple(RequirementFact(key=f"R-{i}", status="approved") for i in range(100))
    proposed = RequirementFact(key="P", status="proposed")  # not counted either way
    return RepositoryFacts(requirements=(*reqs, proposed), test_markers={f"R-{i}": ("t",) for i in range(n)})


def _test_files(n: int) -> RepositoryFacts:
    return RepositoryFacts(paths=("src/a.py", "README.md", *(f"tests/test_{i}.py" for i in range(n))))


def _test_files_ratio(n: int) -> RepositoryFacts:
    source = tuple(f"src/m{i}.py" for i in range(100))
    return RepositoryFacts(paths=(*source, *(f"tests/test_{i}.py" for i in range(n)), "a.md"))


def _coverage(n: int) -> RepositoryFacts:
    return RepositoryFacts(coverage_percent=float(n))


def _release_tags(n: int) -> RepositoryFacts:
    return RepositoryFacts(tags=("nightly", "wip-x", *(f"v1.{i}.0" for i in range(n))))


def _migrations_modified(n: int) -> RepositoryFacts:
    changed: dict[str, str] = {f"db/migrations/V{i}__m.sql": "M" for i in range(n)}
    changed["db/migrations/V900__new.sql"] = "A"
    changed["src/app.py"] = "M"
    return RepositoryFacts(changed_paths=changed)  # type: ignore[arg-type]


def _migrations_misnamed(n: int) -> RepositoryFacts:
    good = (
        "db/migrations/V1__create_budget.sql",
        "app/migrations/versions/0001_init.py",
        "app/migrations/__init__.py",
    )
    return RepositoryFacts(paths=(*good, *(f"db/migrations/Create{i}.sql" for i in range(n))))


def _unpinned(n: int) -> RepositoryFacts:
    pinned = (
        DependencyFact(name="a", specifier="==1.2.3", source="requirements.txt"),
        DependencyFact(name="b", specifier="4.17.21", source="package.json"),
    )
    loose = tuple(DependencyFact(name=f"l{i}", specifier=">=1" if i % 2 else "") for i in range(n))
    return RepositoryFacts(dependencies=(*pinned, *loose))


def _not_verified(n: int) -> RepositoryFacts:
    reqs = tuple(RequirementFact(key=f"R-{i}", status="approved") for i in range(n + 2))
    markers = {f"R-{i}": (f"tests/test_a.py::t{i}",) for i in range(n + 2)}
    results = {f"tests/test_a.py::t{i}": "passed" for i in range(2)}
    results.update({f"tests/test_a.py::t{i}": "failed" for i in range(2, n + 2) if i % 2})
    return RepositoryFacts(requirements=reqs, test_markers=markers, test_results=results)  # type: ignore[arg-type]


def _failed_tests(n: int) -> RepositoryFacts:
    results = {"t::ok": "passed", "t::skip": "skipped"}
    results.update({f"t::bad{i}": "failed" if i % 2 else "error" for i in range(n)})
    return RepositoryFacts(test_results=results)  # type: ignore[arg-type]


def _vulnerable(n: int) -> RepositoryFacts:
    minor = VulnerableComponent(component="x", version="1", advisory="GHSA-minor", severity="major")
    found = tuple(
        VulnerableComponent(component=f"c{i}", version="1.0", advisory=f"PYSEC-{i}", severity="critical")
        for i in range(n)
    )
    return RepositoryFacts(vulnerabilities=(minor, *found))


def _licences(n: int) -> RepositoryFacts:
    ok = (ComponentLicence(component="a", licence="MIT"), ComponentLicence(component="b", licence=None))
    bad = tuple(ComponentLicence(component=f"g{i}", licence="GPL-3.0-only") for i in range(n))
    return RepositoryFacts(licences=(*ok, *bad), licence_policy=LicencePolicy(deny=("GPL-3.0-only",)))


BUILDERS: dict[str, Builder] = {
    "commits_without_requirement": _commits_without,
    "code_commits_without_requirement": _commits_without,
    "unknown_requirement_refs": _unknown_refs,
    "test_markers_unknown_requirement": _test_markers_unknown,
    "requirements_unapproved_referenced": _unapproved,
    "requirements_implemented_without_code": lambda n: _delivered(n, "code"),
    "requirements_implemented_without_tests": lambda n: _delivered(n, "tests"),
    "requirements_tested_ratio": _tested_ratio,
    "test_files": _test_files,
    "test_files_ratio": _test_files_ratio,
    "coverage_percent": _coverage,
    "release_tags": _release_tags,
    "migrations_modified": _migrations_modified,
    "migrations_misnamed": _migrations_misnamed,
    "unpinned_dependencies": _unpinned,
    "requirements_not_verified": _not_verified,
    "failed_tests": _failed_tests,
    "vulnerable_components": _vulnerable,
    "licences_not_allowed": _licences,
}
