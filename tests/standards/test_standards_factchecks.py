"""Named repository facts, measured on small hand-made repositories."""

from __future__ import annotations

import pytest

from standards.factchecks import FACTS, FactValue
from standards.facts import CommitFact, DependencyFact, RepositoryFacts, RequirementFact


def measure(name: str, facts: RepositoryFacts, **params: object) -> FactValue:
    spec = FACTS[name]
    return spec.measure(facts, {**spec.params, **params})  # type: ignore[dict-item]


def test_commit_traceability_ignores_merges_and_docs_only_changes() -> None:
    facts = RepositoryFacts(
        commits=(
            CommitFact(sha="a", paths=("README.md",)),
            CommitFact(sha="b", paths=("src/x.py",)),
            CommitFact(sha="c", paths=("src/y.java",), requirement_refs=("BUD-1",)),
            CommitFact(sha="m", paths=("src/x.py",), is_merge=True),
        )
    )
    assert measure("commits_without_requirement", facts) == FactValue(2.0, ("a", "b"))
    assert measure("code_commits_without_requirement", facts) == FactValue(1.0, ("b",))


def test_requirement_facts_need_the_register() -> None:
    facts = RepositoryFacts(commits=(CommitFact(sha="a", requirement_refs=("BUD-9",)),))
    for name in (
        "unknown_requirement_refs",
        "requirements_unapproved_referenced",
        "requirements_implemented_without_code",
        "requirements_implemented_without_tests",
        "requirements_tested_ratio",
        "test_markers_unknown_requirement",
    ):
        assert measure(name, facts).value is None, name


def test_requirement_states_decide_what_is_referenced_legitimately() -> None:
    reqs = tuple(
        RequirementFact.model_validate({"key": k, "status": s})
        for k, s in [
            ("R1", "proposed"),
            ("R2", "approved"),
            ("R3", "rejected"),
            ("R4", "changed"),
            ("R5", "implemented"),
            ("R6", "closed"),
            ("R7", "verified"),
        ]
    )
    facts = RepositoryFacts(
        requirements=reqs,
        commits=(CommitFact(sha="a", requirement_refs=("R1", "R2", "R3", "R4", "R5", "X9")),),
        code_markers={"R6": ("src/a.py",)},
        test_markers={"R5": ("tests/t.py::t",), "Y1": ("tests/t.py::u",), "R2": ()},
    )
    assert measure("unknown_requirement_refs", facts).offenders == ("X9", "Y1")
    assert measure("test_markers_unknown_requirement", facts).offenders == ("Y1",)
    assert measure("requirements_unapproved_referenced", facts).offenders == ("R1", "R3")
    assert measure("requirements_implemented_without_code", facts).offenders == ("R7",)
    assert measure("requirements_implemented_without_tests", facts).offenders == ("R6", "R7")
    tested = measure("requirements_tested_ratio", facts)
    assert tested.value == pytest.approx(1 / 5)  # R2, R4, R5, R6, R7 are approved-or-later
    assert tested.offenders == ("R2", "R4", "R6", "R7")


def test_tree_facts() -> None:
    facts = RepositoryFacts(
        paths=("src/a.py", "src/b.py", "src/c.ts", "src/c.spec.ts", "tests/test_a.py", "README.md")
    )
    assert measure("test_files", facts).value == 2
    assert measure("test_files_ratio", facts).value == pytest.approx(2 / 3)
    assert measure("test_files_ratio", RepositoryFacts(paths=("README.md",))).value is None
    assert measure("test_files", facts, test_globs=["**/*.spec.ts"]).value == 1


def test_release_tags_and_coverage() -> None:
    facts = RepositoryFacts(
        tags=("v1.2.3", "2.0", "v3.0.0-rc.1", "nightly", "release-x"), coverage_percent=64.5
    )
    assert measure("release_tags", facts).value == 3
    assert measure("release_tags", facts, pattern=r"^release-").value == 1
    assert measure("coverage_percent", facts).value == 64.5
    assert measure("coverage_percent", RepositoryFacts()).value is None


def test_migration_facts() -> None:
    facts = RepositoryFacts(
        paths=(
            "db/migrations/V1__init.sql",
            "db/migrations/v2-Add.sql",
            "app/migrations/versions/ab12cd34ef56_add_user.py",
            "app/migrations/__init__.py",
            "db/migration/V3_1__split.sql",
            "app/migrations/0002_Bad.py",
        ),
        changed_paths={
            "db/migrations/V1__init.sql": "M",
            "db/migrations/V9__new.sql": "A",
            "db/migration/V3_1__split.sql": "D",
            "src/app.py": "M",
        },
    )
    assert measure("migrations_misnamed", facts).offenders == (
        "app/migrations/0002_Bad.py",
        "db/migrations/v2-Add.sql",
    )
    assert measure("migrations_modified", facts).offenders == (
        "db/migration/V3_1__split.sql",
        "db/migrations/V1__init.sql",
    )


@pytest.mark.parametrize(
    ("specifier", "pinned"),
    [
        ("==2.31.0", True),
        ("===1.0", True),
        ("1.2.3", True),
        ("4.17.21", True),
        ("v1.2.3", True),
        (">=2", False),
        ("^1.2.0", False),
        ("~=1.4", False),
        ("", False),
        ("*", False),
        ("latest", False),
        ("1.x", False),
    ],
)
def test_pinned_dependencies(specifier: str, pinned: bool) -> None:
    facts = RepositoryFacts(
        dependencies=(DependencyFact(name="d", specifier=specifier, source="requirements.txt"),)
    )
    expected = () if pinned else ("requirements.txt:d",)
    assert measure("unpinned_dependencies", facts).offenders == expected


@pytest.mark.parametrize("specifier", ["==1.0rc1", "2.0.0-beta.1", "1.0.post2", "==3.1.dev0"])
def test_prerelease_exact_versions_are_pinned(specifier: str) -> None:
    facts = RepositoryFacts(dependencies=(DependencyFact(name="d", specifier=specifier),))
    assert measure("unpinned_dependencies", facts).value == 0
