"""The profile data model: what a profile file says and what resolving it yields.

Kept apart from loading and resolution so both can share it without an import cycle.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field, field_validator

from standards.errors import ProfileError
from standards.schema import RULE_ID, Model, Rule, Scoring, Severity, Text, check_globs
from standards.yamlsource import Loc, Located

Level = Literal["A", "B", "C", "D", "E"]


class RuleOverride(Model):
    """Changes to one rule; unset fields keep the standard's (or parent profile's) value."""

    severity: Severity | None = None
    threshold: float | None = None
    scoring: Scoring | None = None
    exclude_paths: list[str] | None = Field(
        default=None, description="globs added to the rule's exclusions (e.g. tests for a service-code rule)"
    )

    @field_validator("exclude_paths")
    @classmethod
    def _valid_globs(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else check_globs(value)


class Disable(Model):
    """A rule switched off, with the reason an auditor will read."""

    rule: str = Field(pattern=RULE_ID)
    justification: str = Field(min_length=10)


class OverallGate(Model):
    """Conditions on the whole module (legacy debt included)."""

    min_score: float | None = Field(default=None, ge=0, le=100)
    min_level: Level | None = None
    max_failed_rules: dict[Severity, int] = Field(default_factory=dict)


class NewCodeGate(Model):
    """Conditions on findings that are new since the baseline ("clean as you code")."""

    max_new_findings: dict[Severity, int] = Field(default_factory=dict)
    max_new_total: int | None = Field(default=None, ge=0)


class Gate(Model):
    """The gate: overall conditions and conditions on new findings."""

    overall: OverallGate = OverallGate()
    new: NewCodeGate = NewCodeGate()


class LicenceRules(Model):
    """Licence policy (SPDX ids, case-insensitive): ``deny`` always flags; a non-empty
    ``allow`` flags everything not on it, including components of unknown licence."""

    allow: list[str] = Field(default_factory=list)
    deny: list[str] = Field(default_factory=list)


class ToolPolicy(Model):
    """Tool versions of a review cycle.

    ``grace_days``: findings that appear only because a scanner's version changed since the
    baseline scan count toward no gate or score for this many days (CodeArts Check keeps
    them out for 60). ``versions``: a scanner's version string as recorded for this
    profile's scans (lets an organisation state the versions in force, and lets a test
    simulate an upgrade).
    """

    grace_days: int = Field(default=60, ge=0, le=3650)
    versions: dict[str, str] = Field(default_factory=dict)


class EvidencePolicy(Model):
    """How evidence beside the code is judged under a profile."""

    licences: LicenceRules = LicenceRules()
    tools: ToolPolicy = ToolPolicy()


class Profile(Model):
    """One profile file as written (before inheritance is resolved)."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_.-]*$")
    title: Text | None = None
    extends: str | None = None
    standards: list[str] | None = None
    overrides: dict[str, RuleOverride] = Field(default_factory=dict)
    disable: list[Disable] = Field(default_factory=list)
    enable: list[str] = Field(default_factory=list)
    gate: Gate | None = None
    scanners: dict[str, dict[str, Any]] = Field(
        default_factory=dict,
        description="settings per scanner (e.g. pylint: {args: [...]}), merged key by key down the chain",
    )
    evidence: EvidencePolicy | None = None


@dataclass(frozen=True)
class LoadedProfile:
    """A profile plus where it came from, so resolution errors can name file and line."""

    profile: Profile
    source: Located

    def error(self, loc: Loc, message: str) -> ProfileError:
        """A located error in this profile's file."""
        return ProfileError(self.source.path, self.source.line_of(loc), message)


class EffectiveRule(Model):
    """A rule as it applies under a profile (overrides applied)."""

    standard: str
    rule: Rule


class DisabledRule(Model):
    """A rule a profile switched off, and which profile did it, and why."""

    standard: str
    rule: str
    justification: str
    profile: str


class StandardRef(Model):
    """Which version of which standard a profile applies."""

    id: str
    version: str
    title: Text


class EffectiveProfile(Model):
    """The resolved profile: exactly the rules a scan is judged by."""

    id: str
    chain: list[str]
    standards: list[StandardRef]
    rules: list[EffectiveRule]
    disabled: list[DisabledRule]
    gate: Gate
    scanners: dict[str, dict[str, Any]] = Field(default_factory=dict)
    evidence: EvidencePolicy = EvidencePolicy()
