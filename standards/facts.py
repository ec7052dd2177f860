"""Repository facts: what the pipeline knows about a module besides per-file findings.

Rules of the requirements, testing, operations and data standards are about the
repository as a whole (which files exist, which commits name a requirement, which
requirements have tests). The pipeline gathers these from git and the requirements
register and hands them over as plain data; the engine never reads git or a database.
Every field has a default so a caller can supply only what it knows; rules that need a
fact nobody supplied come out *not applicable* rather than failing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from scanners.base import Severity

RequirementStatus = Literal[
    "proposed",
    "approved",
    "in_progress",
    "implemented",
    "verified",
    "closed",
    "rejected",
    "changed",
]
#: Statuses in which work may legitimately reference a requirement.
#: ``changed`` keeps its approval (the change itself is tracked in the register).
APPROVED_STATUSES: frozenset[str] = frozenset(
    {"approved", "in_progress", "implemented", "verified", "closed", "changed"}
)
#: Statuses that claim the requirement is delivered, so code and tests must exist.
DELIVERED_STATUSES: frozenset[str] = frozenset({"implemented", "verified", "closed"})

ChangeKind = Literal["A", "M", "D", "R"]


class _Fact(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CommitFact(_Fact):
    """One commit in the scanned range and the requirement keys its message references."""

    sha: str
    requirement_refs: tuple[str, ...] = ()
    paths: tuple[str, ...] = Field(default=(), description="files the commit touched")
    is_merge: bool = False


class RequirementFact(_Fact):
    """One registered requirement of the module, its workflow status and its parent's key."""

    key: str
    status: RequirementStatus
    parent: str | None = None


class DependencyFact(_Fact):
    """One declared third-party dependency, as written in its manifest.

    ``specifier`` is the version part only (``==2.31.0``, ``>=2``, ``^1.2``, ``1.2.3``,
    or empty); ``source`` is the manifest path (``requirements.txt``, ``package.json``).
    """

    name: str
    specifier: str = ""
    source: str = ""


TestOutcome = Literal["passed", "failed", "error", "skipped"]
AttestationState = Literal["valid", "expired", "pending", "rejected", "absent"]


class VulnerableComponent(_Fact):
    """A component of the scanned tree that an imported advisory affects."""

    component: str
    version: str
    advisory: str
    severity: Severity
    fixed: str | None = None
    source: str = ""


class ComponentLicence(_Fact):
    """A component and the licence it declares (``None`` = unknown to every source)."""

    component: str
    licence: str | None
    source: str = ""


class LicencePolicy(_Fact):
    """The profile's licence policy: SPDX ids allowed (empty = any) and denied."""

    allow: tuple[str, ...] = ()
    deny: tuple[str, ...] = ()


class RepositoryFacts(_Fact):
    """Everything repository-level the standards read, filled by the scan pipeline.

    - ``paths``: every file path of the scanned tree (``git ls-tree -r``), ``/``-separated.
    - ``commits``: commits of the scanned range with their requirement references.
    - ``requirements``: the module's registered requirements and their statuses
      (``None`` = the register was not consulted: traceability rules are not applicable).
    - ``code_markers``: requirement key -> files carrying a ``# REQ: KEY`` marker.
    - ``test_markers``: requirement key -> tests marked with it (pytest markers, docstring
      tags, Java/JS comments).
    - ``tags``: tag names pointing into the module's history.
    - ``coverage_percent``: line coverage from a supplied report, ``None`` if none.
    - ``changed_paths``: path -> change kind (A/M/D/R) since the baseline scan (or the
      last release); used for append-only rules such as "migrations are never edited".
    - ``dependencies``: declared dependencies and their version specifiers.

    Evidence beside the code (``None`` = no such evidence exists for the scanned commit, so
    the rules that read it are *not applicable*, never silently passing):

    - ``test_results``: test (``path::name``, as in ``test_markers``) -> outcome, from the
      JUnit reports uploaded for exactly this commit.
    - ``file_coverage``: path -> line coverage (0-100) from the coverage report.
    - ``vulnerabilities``: components matched against the imported vulnerability database.
    - ``licences``: each component's declared licence; judged against ``licence_policy``.
    - ``attestations``: rule id -> state of the approved attestation for it on the scan date.
    """

    paths: tuple[str, ...] = ()
    commits: tuple[CommitFact, ...] = ()
    requirements: tuple[RequirementFact, ...] | None = None
    code_markers: Mapping[str, tuple[str, ...]] = Field(default_factory=dict)
    test_markers: Mapping[str, tuple[str, ...]] = Field(default_factory=dict)
    tags: tuple[str, ...] = ()
    coverage_percent: float | None = Field(default=None, ge=0, le=100)
    changed_paths: Mapping[str, ChangeKind] = Field(default_factory=dict)
    dependencies: tuple[DependencyFact, ...] = ()
    test_results: Mapping[str, TestOutcome] | None = None
    file_coverage: Mapping[str, float] = Field(default_factory=dict)
    vulnerabilities: tuple[VulnerableComponent, ...] | None = None
    licences: tuple[ComponentLicence, ...] | None = None
    licence_policy: LicencePolicy = LicencePolicy()
    attestations: Mapping[str, AttestationState] | None = None

    def statuses(self) -> dict[str, str]:
        """Requirement key -> status (empty when the register was not consulted)."""
        return {r.key: r.status for r in self.requirements or ()}

    def referenced_keys(self) -> set[str]:
        """Every requirement key referenced by a commit, a code marker or a test marker."""
        keys = {ref for c in self.commits for ref in c.requirement_refs}
        keys.update(k for k, v in self.code_markers.items() if v)
        keys.update(k for k, v in self.test_markers.items() if v)
        return keys
