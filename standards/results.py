"""The values evaluation takes in (waivers) and gives back (results, verdicts).

Plain frozen dataclasses, not pydantic models: an evaluation over a million findings
builds these once per rule, never per finding, and callers (the scan service, reports,
the portal) read them as values. ``as_dict`` gives the JSON-ready form.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Literal, Protocol

RuleStatus = Literal["pass", "fail", "waived", "not_applicable"]


class FindingLike(Protocol):
    """What evaluation reads of a finding (``scanners.base.Finding`` or a database row)."""

    @property
    def rule(self) -> str: ...
    @property
    def severity(self) -> str: ...
    @property
    def path(self) -> str: ...
    @property
    def fingerprint(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Waiver:
    """An approved exception, given to the engine by the domain (which stores approvals).

    Exactly one of ``fingerprint`` (one finding) or ``rule`` (a standards rule id such as
    ``DAT-006``: the whole rule) is set. A waiver is active up to and including
    ``expires`` (``None`` = no expiry), compared with the evaluation's ``as_of`` date.
    """

    reason: str
    fingerprint: str | None = None
    rule: str | None = None
    expires: date | None = None
    id: str | None = None

    def __post_init__(self) -> None:
        if (self.fingerprint is None) == (self.rule is None):
            raise ValueError("a waiver names exactly one of 'fingerprint' or 'rule'")

    def active(self, as_of: date) -> bool:
        """Whether the waiver still applies on ``as_of``."""
        return self.expires is None or as_of <= self.expires


@dataclass(frozen=True, slots=True)
class RuleResult:
    """How one rule fared.

    ``count``: findings (after waivers) for findings rules, matching paths for
    required-file rules; ``measured``: the value compared with ``threshold``.
    ``fingerprints``: the findings behind a findings rule (waived ones apart);
    ``offenders``: paths, commits or requirement keys behind a metric or fact rule.
    ``score`` is in 0..1 and ``weight`` its weight in the standard's score.
    """

    rule: str
    standard: str
    severity: str
    kind: str
    status: RuleStatus
    measured: float | None
    threshold: float
    comparison: str
    score: float
    weight: float
    count: int | None = None
    new_count: int = 0
    waived_count: int = 0
    fingerprints: tuple[str, ...] = ()
    waived_fingerprints: tuple[str, ...] = ()
    offenders: tuple[str, ...] = ()
    waiver: str | None = None
    #: The rule's title by language (``en``, ``zh-CN``), so a stored result reads on its own.
    title: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class StandardResult:
    """Score (0-100) and level of one standard; ``None`` when no rule applied."""

    standard: str
    score: float | None
    level: str | None
    passed: int
    failed: int
    waived: int
    not_applicable: int


@dataclass(frozen=True, slots=True)
class GateCondition:
    """One gate condition as measured: what was asked, what was found, and the outcome.

    ``scope`` is ``overall`` or ``new``; ``comparison`` reads ``measured <comparison>
    threshold`` (``>=`` for scores, ``at_least`` for levels, ``<=`` for counts). A condition
    whose measure is absent (no applicable rule) does not pass: a gate cannot pass on
    nothing measured.
    """

    id: str
    scope: Literal["overall", "new"]
    metric: str
    measured: float | str | None
    threshold: float | str
    comparison: str
    passed: bool
    standard: str | None = None
    severity: str | None = None


@dataclass(frozen=True, slots=True)
class Evaluation:
    """The verdict of one scan under one effective profile."""

    profile: str
    profile_digest: str
    as_of: date
    rules: tuple[RuleResult, ...]
    standards: tuple[StandardResult, ...]
    score: float | None
    level: str | None
    gate_passed: bool
    gate: tuple[GateCondition, ...]
    expired_waivers: tuple[Waiver, ...] = field(default=())

    @property
    def new_code_passed(self) -> bool:
        """Whether every condition on new code passed (true when there are none)."""
        return all(c.passed for c in self.gate if c.scope == "new")

    @property
    def failed_conditions(self) -> tuple[GateCondition, ...]:
        """The conditions that failed, in gate order: the reasons of a failed verdict."""
        return tuple(c for c in self.gate if not c.passed)

    def rule(self, rule_id: str) -> RuleResult:
        """The result of one rule (``KeyError`` if the profile has no such rule)."""
        for result in self.rules:
            if result.rule == rule_id:
                return result
        raise KeyError(rule_id)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (dates as ISO strings)."""
        data = asdict(self)
        data["as_of"] = self.as_of.isoformat()
        for waiver in data["expired_waivers"]:
            waiver["expires"] = waiver["expires"].isoformat() if waiver["expires"] else None
        return data
