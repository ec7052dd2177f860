"""The named facts a ``fact`` check can test, and how each is measured.

A rule names a fact (``commits_without_requirement``) and a condition on its value
(``<= 0``). Keeping the measurement here, in one documented table, means a standard file
stays declarative and the docs can explain every fact in words. Each fact returns a
number plus the offenders behind it (commit shas, requirement keys, paths) so a failing
rule can say *what* to fix; ``None`` means "not measurable from what was supplied".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import get_args

from scanners.base import Severity
from standards.facts import APPROVED_STATUSES, DELIVERED_STATUSES, RepositoryFacts
from standards.globs import compile_globs
from standards.verification import requirement_verification

ParamValue = str | float | int | list[str]

SOURCE_GLOBS = [
    "**/*.py",
    "**/*.java",
    "**/*.js",
    "**/*.ts",
    "**/*.tsx",
    "**/*.go",
    "**/*.c",
    "**/*.cpp",
    "**/*.cs",
    "**/*.kt",
    "**/*.php",
    "**/*.rb",
    "**/*.sql",
]
TEST_GLOBS = [
    "**/test_*.py",
    "**/*_test.py",
    "**/tests/**",
    "**/test/**",
    "**/__tests__/**",
    "**/*Test.java",
    "**/*Tests.java",
    "**/*.test.js",
    "**/*.test.ts",
    "**/*.spec.js",
    "**/*.spec.ts",
    "**/*_test.go",
]
MIGRATION_GLOBS = [
    "**/migrations/**/*.sql",
    "**/migrations/versions/*.py",
    "**/db/migration/*.sql",
    "**/migrations/[0-9]*.py",
]
MIGRATION_NAME = r"^(V\d+(_\d+)*__[a-z0-9_]+\.sql|\d{3,}_[a-z0-9_]+\.(py|sql)|[0-9a-f]{12}_[a-z0-9_]+\.py)$"
RELEASE_TAG = r"^v?\d+\.\d+(\.\d+)?([.-][0-9A-Za-z.]+)?$"
_PINNED = re.compile(r"^(===?\s*)?v?\d+(\.\d+)*((a|b|rc|\.post|\.dev)\d+|[-+][0-9A-Za-z.]+)?$")


@dataclass(frozen=True, slots=True)
class FactValue:
    """A measured fact: its value (``None`` = not applicable) and what caused it."""

    value: float | None
    offenders: tuple[str, ...] = ()


Measure = Callable[[RepositoryFacts, Mapping[str, ParamValue]], FactValue]


@dataclass(frozen=True, slots=True)
class FactSpec:
    """A named fact: what it means, its parameters (with defaults) and its measure."""

    name: str
    description: str
    measure: Measure
    params: Mapping[str, ParamValue]


def _count(items: list[str] | set[str]) -> FactValue:
    ordered = tuple(sorted(items))
    return FactValue(float(len(ordered)), ordered)


def _globs(params: Mapping[str, ParamValue], name: str) -> re.Pattern[str]:
    value = params[name]
    return compile_globs(tuple(value) if isinstance(value, list) else (str(value),))


def _commits_without_requirement(facts: RepositoryFacts, _: Mapping[str, ParamValue]) -> FactValue:
    return _count([c.sha for c in facts.commits if not c.is_merge and not c.requirement_refs])


def _code_commits_without_requirement(facts: RepositoryFacts, params: Mapping[str, ParamValue]) -> FactValue:
    source = _globs(params, "source_globs")
    return _count(
        [
            c.sha
            for c in facts.commits
            if not c.is_merge and not c.requirement_refs and any(source.match(p) for p in c.paths)
        ]
    )


def _unknown_requirement_refs(facts: RepositoryFacts, _: Mapping[str, ParamValue]) -> FactValue:
    if facts.requirements is None:
        return FactValue(None)
    known = facts.statuses()
    return _count({k for k in facts.referenced_keys() if k not in known})


def _test_markers_unknown(facts: RepositoryFacts, _: Mapping[str, ParamValue]) -> FactValue:
    if facts.requirements is None:
        return FactValue(None)
    known = facts.statuses()
    return _count({k for k, tests in facts.test_markers.items() if tests and k not in known})


def _unapproved_referenced(facts: RepositoryFacts, _: Mapping[str, ParamValue]) -> FactValue:
    if facts.requirements is None:
        return FactValue(None)
    statuses = facts.statuses()
    return _count(
        {k for k in facts.referenced_keys() if k in statuses and statuses[k] not in APPROVED_STATUSES}
    )


def _delivered_without(facts: RepositoryFacts, evidence: set[str]) -> FactValue:
    if facts.requirements is None:
        return FactValue(None)
    return _count(
        {r.key for r in facts.requirements if r.status in DELIVERED_STATUSES and r.key not in evidence}
    )


def _implemented_without_code(facts: RepositoryFacts, _: Mapping[str, ParamValue]) -> FactValue:
    evidence = {ref for c in facts.commits for ref in c.requirement_refs}
    evidence.update(k for k, v in facts.code_markers.items() if v)
    return _delivered_without(facts, evidence)


def _implemented_without_tests(facts: RepositoryFacts, _: Mapping[str, ParamValue]) -> FactValue:
    return _delivered_without(facts, {k for k, v in facts.test_markers.items() if v})


def _requirements_tested_ratio(facts: RepositoryFacts, _: Mapping[str, ParamValue]) -> FactValue:
    approved = [r.key for r in facts.requirements or () if r.status in APPROVED_STATUSES]
    if not approved:
        return FactValue(None)
    untested = sorted(k for k in approved if not facts.test_markers.get(k))
    return FactValue(1 - len(untested) / len(approved), tuple(untested))


def _test_files(facts: RepositoryFacts, params: Mapping[str, ParamValue]) -> FactValue:
    tests = _globs(params, "test_globs")
    return FactValue(float(sum(1 for p in facts.paths if tests.match(p))))


def _test_files_ratio(facts: RepositoryFacts, params: Mapping[str, ParamValue]) -> FactValue:
    tests, source = _globs(params, "test_globs"), _globs(params, "source_globs")
    n_tests = sum(1 for p in facts.paths if tests.match(p))
    n_source = sum(1 for p in facts.paths if source.match(p) and not tests.match(p))
    return FactValue(n_tests / n_source if n_source else None)


def _coverage_percent(facts: RepositoryFacts, _: Mapping[str, ParamValue]) -> FactValue:
    return FactValue(facts.coverage_percent)


def _release_tags(facts: RepositoryFacts, params: Mapping[str, ParamValue]) -> FactValue:
    pattern = re.compile(str(params["pattern"]))
    return FactValue(float(sum(1 for t in facts.tags if pattern.match(t))))


def _migrations_modified(facts: RepositoryFacts, params: Mapping[str, ParamValue]) -> FactValue:
    migrations = _globs(params, "migration_globs")
    return _count([p for p, kind in facts.changed_paths.items() if kind != "A" and migrations.match(p)])


def _migrations_misnamed(facts: RepositoryFacts, params: Mapping[str, ParamValue]) -> FactValue:
    migrations, name = _globs(params, "migration_globs"), re.compile(str(params["name_pattern"]))
    return _count(
        [
            p
            for p in facts.paths
            if migrations.match(p) and not name.match(p.rsplit("/", 1)[-1]) and not p.endswith("__init__.py")
        ]
    )


def _unpinned_dependencies(facts: RepositoryFacts, _: Mapping[str, ParamValue]) -> FactValue:
    return _count(
        [
            f"{d.source}:{d.name}" if d.source else d.name
            for d in facts.dependencies
            if not _PINNED.match(d.specifier.strip())
        ]
    )


def _requirements_not_verified(facts: RepositoryFacts, _: Mapping[str, ParamValue]) -> FactValue:
    verdicts = requirement_verification(facts)
    if facts.test_results is None or facts.requirements is None:
        return FactValue(None)
    return _count(
        [
            f"{key} ({v.verdict}" + (f": {', '.join(v.flagged_by)})" if v.flagged_by else ")")
            for key, v in verdicts.items()
            if v.verdict in ("failing", "missing")
        ]
    )


def _failed_tests(facts: RepositoryFacts, _: Mapping[str, ParamValue]) -> FactValue:
    if facts.test_results is None:
        return FactValue(None)
    return _count([t for t, outcome in facts.test_results.items() if outcome in ("failed", "error")])


_SEVERITIES: tuple[str, ...] = get_args(Severity)  # worst first: blocker … info


def _vulnerable_components(facts: RepositoryFacts, params: Mapping[str, ParamValue]) -> FactValue:
    if facts.vulnerabilities is None:
        return FactValue(None)
    floor = _SEVERITIES.index(str(params["min_severity"]))
    return _count(
        {
            f"{v.component}@{v.version} {v.advisory}" + (f" (fixed in {v.fixed})" if v.fixed else "")
            for v in facts.vulnerabilities
            if _SEVERITIES.index(v.severity) <= floor
        }
    )


def _licences_not_allowed(facts: RepositoryFacts, _: Mapping[str, ParamValue]) -> FactValue:
    if facts.licences is None:
        return FactValue(None)
    policy = facts.licence_policy
    allow, deny = {a.lower() for a in policy.allow}, {d.lower() for d in policy.deny}
    bad = []
    for item in facts.licences:
        ids = {part.strip().lower() for part in re.split(r"\s+(?:OR|AND|WITH)\s+|[()]", item.licence or "")}
        ids.discard("")
        if ids & deny or (allow and not ids & allow):
            bad.append(f"{item.component} ({item.licence or 'unknown licence'})")
    return _count(bad)


def _spec(name: str, description: str, measure: Measure, **params: ParamValue) -> FactSpec:
    return FactSpec(name, description, measure, params)


FACTS: Mapping[str, FactSpec] = {
    s.name: s
    for s in (
        _spec(
            "commits_without_requirement",
            "Non-merge commits whose message references no requirement key.",
            _commits_without_requirement,
        ),
        _spec(
            "code_commits_without_requirement",
            "Non-merge commits that change source files without referencing a requirement.",
            _code_commits_without_requirement,
            source_globs=SOURCE_GLOBS,
        ),
        _spec(
            "unknown_requirement_refs",
            "Requirement keys referenced by commits or markers that are not registered.",
            _unknown_requirement_refs,
        ),
        _spec(
            "test_markers_unknown_requirement",
            "Requirement keys that tests are marked with but that are not registered.",
            _test_markers_unknown,
        ),
        _spec(
            "requirements_unapproved_referenced",
            "Registered requirements that are referenced but not approved (proposed/rejected).",
            _unapproved_referenced,
        ),
        _spec(
            "requirements_implemented_without_code",
            "Requirements marked implemented/verified/closed with no commit or code marker.",
            _implemented_without_code,
        ),
        _spec(
            "requirements_implemented_without_tests",
            "Requirements marked implemented/verified/closed with no test marked for them.",
            _implemented_without_tests,
        ),
        _spec(
            "requirements_tested_ratio",
            "Share (0-1) of approved requirements that at least one test is marked with.",
            _requirements_tested_ratio,
        ),
        _spec("test_files", "Number of test files in the tree.", _test_files, test_globs=TEST_GLOBS),
        _spec(
            "test_files_ratio",
            "Test files per non-test source file.",
            _test_files_ratio,
            test_globs=TEST_GLOBS,
            source_globs=SOURCE_GLOBS,
        ),
        _spec(
            "coverage_percent", "Line coverage (0-100) from the supplied coverage report.", _coverage_percent
        ),
        _spec(
            "release_tags", "Tags that name a release version (v1.2.3).", _release_tags, pattern=RELEASE_TAG
        ),
        _spec(
            "migrations_modified",
            "Existing migration files modified, renamed or deleted since the baseline.",
            _migrations_modified,
            migration_globs=MIGRATION_GLOBS,
        ),
        _spec(
            "migrations_misnamed",
            "Migration files whose name breaks the naming convention.",
            _migrations_misnamed,
            migration_globs=MIGRATION_GLOBS,
            name_pattern=MIGRATION_NAME,
        ),
        _spec(
            "unpinned_dependencies",
            "Declared dependencies without an exact version (==1.2.3 / 1.2.3).",
            _unpinned_dependencies,
        ),
        _spec(
            "requirements_not_verified",
            "Approved requirements whose linked tests, or those of a requirement below them, failed, "
            "errored, were skipped or are absent from the test results uploaded for the scanned commit.",
            _requirements_not_verified,
        ),
        _spec("failed_tests", "Tests that failed or errored in the commit's test results.", _failed_tests),
        _spec(
            "vulnerable_components",
            "Components with a known vulnerability at or above min_severity in the imported database.",
            _vulnerable_components,
            min_severity="critical",
        ),
        _spec(
            "licences_not_allowed",
            "Components whose licence the profile denies, or that is not on its allow list.",
            _licences_not_allowed,
        ),
    )
}
