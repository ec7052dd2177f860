"""The profile data model: what a profile file says and what resolving it yields.

Kept apart from loading and resolution so both can share it without an import cycle.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from scanners.errors import ScannerConfigError
from scanners.imported import MAX_TOOL_NAME, MAX_TOOL_RULE, imported_pattern
from scanners.registry import switch
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


GateMetric = Literal["score", "level", "failed_rules", "new_findings", "new_secrets"]
#: Which scope each gate metric belongs to: overall measures the whole module, new only the
#: findings that are new since the baseline ("clean as you code").
METRIC_SCOPE: dict[str, Literal["overall", "new"]] = {
    "score": "overall",
    "level": "overall",
    "failed_rules": "overall",
    "new_findings": "new",
    "new_secrets": "new",  # pragma: allowlist secret
}
CONDITION_ID = r"^[a-z][a-z0-9_.-]*$"


class GateConditionSpec(Model):
    """One named gate condition as a profile writes it.

    ``score``/``level`` are minimums (of one ``standard``, or overall when unset);
    ``failed_rules``/``new_findings`` are maximums (at one ``severity``, or any when unset);
    ``new_secrets`` is the maximum of new findings of the secrets scanners.
    """

    id: str = Field(pattern=CONDITION_ID)
    metric: GateMetric
    threshold: float | Level
    standard: str | None = None
    severity: Severity | None = None
    title: Text | None = None

    @property
    def scope(self) -> Literal["overall", "new"]:
        """``overall`` or ``new``, fixed by the metric."""
        return METRIC_SCOPE[self.metric]

    @model_validator(mode="after")
    def _consistent(self) -> GateConditionSpec:
        if self.metric == "level" and self.threshold not in ("A", "B", "C", "D", "E"):
            raise ValueError(f"condition {self.id}: a level threshold is one of A-E")
        if self.metric != "level" and isinstance(self.threshold, str):
            raise ValueError(f"condition {self.id}: the threshold of {self.metric} is a number")
        if self.standard is not None and self.metric not in ("score", "level"):
            raise ValueError(f"condition {self.id}: only score and level conditions name a standard")
        if self.severity is not None and self.metric not in ("failed_rules", "new_findings"):
            raise ValueError(f"condition {self.id}: only failed_rules and new_findings take a severity")
        return self


class OverallGate(Model):
    """Shorthand for conditions on the whole module (legacy debt included)."""

    min_score: float | None = Field(default=None, ge=0, le=100)
    min_level: Level | None = None
    max_failed_rules: dict[Severity, int] = Field(default_factory=dict)
    min_standard_score: dict[str, float] = Field(default_factory=dict)
    min_standard_level: dict[str, Level] = Field(default_factory=dict)


class NewCodeGate(Model):
    """Shorthand for conditions on findings that are new since the baseline."""

    max_new_findings: dict[Severity, int] = Field(default_factory=dict)
    max_new_total: int | None = Field(default=None, ge=0)
    max_new_secrets: int | None = Field(default=None, ge=0)


class Gate(Model):
    """The gate: a list of named conditions, plus the ``overall``/``new`` shorthand for them.

    The shorthand expands into conditions with generated ids (``overall.failed_rules.blocker``,
    ``new.new_findings.critical`` …); an explicit condition with the same id replaces it.
    """

    overall: OverallGate = OverallGate()
    new: NewCodeGate = NewCodeGate()
    conditions: list[GateConditionSpec] = Field(default_factory=list)

    def condition_specs(self) -> list[GateConditionSpec]:
        """Every condition of the gate in a stable order: shorthand first, then explicit ones."""
        specs: dict[str, GateConditionSpec] = {c.id: c for c in _expand(self.overall, self.new)}
        for condition in self.conditions:
            specs[condition.id] = condition
        return list(specs.values())


def _spec(cid: str, metric: str, threshold: float | str, **scope: str) -> GateConditionSpec:
    return GateConditionSpec.model_validate({"id": cid, "metric": metric, "threshold": threshold, **scope})


def _expand(overall: OverallGate, new: NewCodeGate) -> list[GateConditionSpec]:
    out: list[GateConditionSpec] = []
    if overall.min_score is not None:
        out.append(_spec("overall.score", "score", overall.min_score))
    if overall.min_level is not None:
        out.append(_spec("overall.level", "level", overall.min_level))
    for sid, minimum in sorted(overall.min_standard_score.items()):
        out.append(_spec(f"{sid}.score", "score", minimum, standard=sid))
    for sid, level in sorted(overall.min_standard_level.items()):
        out.append(_spec(f"{sid}.level", "level", level, standard=sid))
    for severity, limit in sorted(overall.max_failed_rules.items()):
        out.append(_spec(f"overall.failed_rules.{severity}", "failed_rules", limit, severity=severity))
    for severity, limit in sorted(new.max_new_findings.items()):
        out.append(_spec(f"new.new_findings.{severity}", "new_findings", limit, severity=severity))
    if new.max_new_total is not None:
        out.append(_spec("new.new_findings", "new_findings", new.max_new_total))
    if new.max_new_secrets is not None:
        out.append(_spec("new.secrets", "new_secrets", new.max_new_secrets))
    return out


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


def _default_sla() -> dict[Severity, int]:
    return {"blocker": 3, "critical": 7, "major": 30, "minor": 90, "info": 180}


class TicketOpening(Model):
    """When a default-branch scan opens a rectification ticket (either condition suffices)."""

    gate_failed: bool = True
    new_findings_at_or_above: Severity | None = "critical"


class TicketPolicy(Model):
    """Rectification tickets under a profile: what opens one, and days to fix by severity.

    Not part of what judges a scan (a change here never changes a verdict or its digest).
    """

    open_on: TicketOpening = TicketOpening()
    sla_days: dict[Severity, int] = Field(default_factory=_default_sla)

    @field_validator("sla_days")
    @classmethod
    def _positive(cls, value: dict[str, int]) -> dict[str, int]:
        for severity, days in value.items():
            if not 1 <= days <= 3650:
                raise ValueError(f"sla_days.{severity}: between 1 and 3650 days")
        return value

    def days_for(self, severity: str) -> int:
        """Days to fix a ticket whose worst finding has ``severity`` (the longest period if unset)."""
        table: dict[str, int] = {str(key): days for key, days in self.sla_days.items()}
        return table.get(severity, max(table.values(), default=90))


class SarifBinding(Model):
    """Results of an imported tool (SARIF ``tool.driver.name``) that a standard rule counts.

    ``rules`` are globs over the tool's own rule ids (``NP_*``); ``rule`` is a findings rule
    of a selected standard, which then counts those imported results like its own scanners'.
    """

    tool: str = Field(min_length=1, max_length=MAX_TOOL_NAME, pattern=r"^\S(.*\S)?$")
    rules: list[str] = Field(min_length=1)
    rule: str = Field(pattern=RULE_ID)

    @field_validator("rules")
    @classmethod
    def _patterns(cls, value: list[str]) -> list[str]:
        for pattern in value:
            if not pattern or pattern != pattern.strip() or len(pattern) > MAX_TOOL_RULE:
                raise ValueError(
                    f"bad rule pattern {pattern!r}: 1-{MAX_TOOL_RULE} characters, no outer spaces"
                )
        return value

    def patterns(self) -> list[str]:
        """The Govern rule-id patterns this binding adds to its rule's findings check."""
        return [imported_pattern(self.tool, p) for p in self.rules]


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
    tickets: TicketPolicy | None = None

    sarif: list[SarifBinding] = Field(
        default_factory=list,
        description="imported tools' rules counted by standard rules (added down the chain)",
    )

    @field_validator("scanners")
    @classmethod
    def _switches(cls, value: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        """``enabled`` (the registry's on/off switch of a scanner) is true or false, nothing else."""
        for name, settings in value.items():
            try:
                switch(name, settings)
            except ScannerConfigError as exc:
                raise ValueError(str(exc)) from None
        return value


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
    tickets: TicketPolicy = TicketPolicy()

    sarif: list[SarifBinding] = Field(default_factory=list)
