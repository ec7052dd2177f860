"""The shape of a standard file: rules, the checks they bind, and how they score.

Standards are data an organisation copies and edits, so the schema is strict
(``extra="forbid"``: a misspelt key is an error, not a silently ignored setting) and
every check names exactly what produces its input: scanner rule ids (``pylint:W0611``),
scanner metrics (``radon.mi``), paths of the tree, or a named repository fact. Which
scanners and rules exist is what the registry loaded, passed in the validation context
(``{"rules": RuleCatalogue}``), so a third-party scanner's rules are bound like Govern's own.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from scanners.rules import RuleCatalogue
from standards.factchecks import FACTS, ParamValue
from standards.globs import check_glob

Severity = Literal["blocker", "critical", "major", "minor", "info"]
SEVERITY_ORDER: dict[str, int] = {"info": 0, "minor": 1, "major": 2, "critical": 3, "blocker": 4}
#: Default weight of a rule in its standard's score, by severity.
SEVERITY_WEIGHT: dict[str, float] = {
    "blocker": 10.0,
    "critical": 6.0,
    "major": 3.0,
    "minor": 1.0,
    "info": 0.5,
}
Comparison = Literal["<=", "<", ">=", ">", "=="]
Aggregation = Literal["min", "max", "mean", "sum", "ratio"]

#: Raw size metrics every file gets, without a scanner prefix.
RAW_METRICS: frozenset[str] = frozenset({"loc", "sloc", "lloc", "comments", "multi", "blank"})

RULE_ID = r"^[A-Z]{2,6}-\d{3,4}$"
#: The scanner whose findings are secrets (the ``new_secrets`` gate metric counts them).
SECRETS_SCANNER = "secrets"  # pragma: allowlist secret
_TOOL_RULE = re.compile(r"^(?P<scanner>[a-z][a-z0-9_-]*):(?P<rule>[^\s:]+)$")


class Model(BaseModel):
    """Base of every standards model: strict, immutable values."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Text(Model):
    """A text in both languages of the deployment; English is the fallback."""

    zh_cn: str | None = Field(default=None, alias="zh-CN", min_length=1)
    en: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        """The text in ``lang`` (``zh-CN`` or ``en``), English if not translated."""
        return self.zh_cn if lang == "zh-CN" and self.zh_cn else self.en


def _catalogue(info: ValidationInfo) -> RuleCatalogue:
    """The rules of the loaded scanners, passed by the loader as ``{"rules": catalogue}``."""
    context = info.context if isinstance(info.context, dict) else {}
    catalogue = context.get("rules")
    if not isinstance(catalogue, RuleCatalogue):
        raise ValueError("internal: standards are validated against a scanner rule catalogue")
    return catalogue


def _scanners(info: ValidationInfo) -> tuple[str, ...]:
    return _catalogue(info).scanners


def check_globs(globs: list[str]) -> list[str]:
    for glob in globs:
        problem = check_glob(glob)
        if problem:
            raise ValueError(f"bad glob {glob!r}: {problem}")
    return globs


class _PathScoped(Model):
    paths: list[str] = Field(default_factory=list, description="only files matching these")
    exclude_paths: list[str] = Field(default_factory=list, description="never these files")

    @field_validator("paths", "exclude_paths")
    @classmethod
    def _valid_globs(cls, value: list[str]) -> list[str]:
        return check_globs(value)


class FindingsCheck(_PathScoped):
    """At most ``threshold`` findings of the bound scanner rules (globs allowed)."""

    kind: Literal["findings"]
    rules: list[str] = Field(min_length=1)
    min_severity: Severity | None = None
    threshold: int = Field(default=0, ge=0)

    @field_validator("rules")
    @classmethod
    def _known_rules(cls, value: list[str], info: ValidationInfo) -> list[str]:
        """Each binding names a loaded scanner and matches a rule it declares."""
        catalogue = _catalogue(info)
        for pattern in value:
            match = _TOOL_RULE.match(pattern)
            if not match:
                raise ValueError(f"{pattern!r} is not '<scanner>:<rule>' (e.g. 'pylint:W0611')")
            if match["scanner"] not in catalogue.scanners:
                raise ValueError(
                    f"unknown scanner {match['scanner']!r} in {pattern!r}; "
                    f"known: {', '.join(catalogue.scanners)}"
                )
            if not catalogue.matching(pattern):
                raise ValueError(f"scanner {match['scanner']!r} declares no rule matching {pattern!r}")
        return value


class MetricCheck(_PathScoped):
    """An aggregate of a per-file metric compared with a threshold."""

    kind: Literal["metric"]
    metric: str
    aggregation: Aggregation
    denominator: str | None = None
    comparison: Comparison
    threshold: float

    @field_validator("metric", "denominator")
    @classmethod
    def _known_metric(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None or value in RAW_METRICS:
            return value
        scanner, dot, name = value.partition(".")
        if not dot or not name:
            raise ValueError(
                f"unknown metric {value!r}: use '<scanner>.<metric>' or one of "
                f"{', '.join(sorted(RAW_METRICS))}"
            )
        if scanner not in _scanners(info):
            raise ValueError(f"unknown scanner {scanner!r} in metric {value!r}")
        return value

    @model_validator(mode="after")
    def _ratio_needs_denominator(self) -> MetricCheck:
        if (self.aggregation == "ratio") != (self.denominator is not None):
            raise ValueError("'denominator' is required with aggregation 'ratio', and only then")
        return self


class RequiredFileCheck(Model):
    """At least ``threshold`` paths of the tree match one of ``globs``."""

    kind: Literal["required_file"]
    globs: list[str] = Field(min_length=1)
    threshold: int = Field(default=1, ge=1)

    @field_validator("globs")
    @classmethod
    def _valid_globs(cls, value: list[str]) -> list[str]:
        return check_globs(value)


class FactCheck(Model):
    """A named repository fact (see :mod:`standards.factchecks`) compared with a threshold."""

    kind: Literal["fact"]
    fact: str
    params: dict[str, ParamValue] = Field(default_factory=dict)
    comparison: Comparison
    threshold: float

    @field_validator("fact")
    @classmethod
    def _known_fact(cls, value: str) -> str:
        if value not in FACTS:
            raise ValueError(f"unknown fact {value!r}; known: {', '.join(sorted(FACTS))}")
        return value

    @model_validator(mode="after")
    def _known_params(self) -> FactCheck:
        allowed = FACTS[self.fact].params
        for name, value in self.params.items():
            if name not in allowed:
                raise ValueError(f"fact {self.fact!r} takes no parameter {name!r}")
            if name.endswith("pattern"):
                try:
                    re.compile(str(value))
                except re.error as exc:
                    raise ValueError(f"bad regular expression in {name!r}: {exc}") from None
            elif name.endswith("globs"):
                check_globs(value if isinstance(value, list) else [str(value)])
        return self

    def resolved_params(self) -> dict[str, ParamValue]:
        """The fact's defaults overlaid with this check's parameters."""
        return {**FACTS[self.fact].params, **self.params}


class AttestationCheck(Model):
    """A clause no scanner can check: passes while a person-approved attestation is valid.

    The vendor submits evidence (a file and a statement) for the module; ``approver_role``
    approves it with an expiry (at most ``validity_days`` after approval). Expired, pending
    or absent evidence fails the rule; without an attestation register it is not applicable.
    """

    kind: Literal["attestation"]
    evidence: Text = Field(description="what the vendor must submit")
    approver_role: Literal["pm", "admin"] = "pm"  # auditors read, never approve
    validity_days: int = Field(default=365, ge=1, le=3650)
    threshold: int = Field(default=1, ge=1, le=1)


Check = Annotated[
    FindingsCheck | MetricCheck | RequiredFileCheck | FactCheck | AttestationCheck,
    Field(discriminator="kind"),
]


class Scoring(Model):
    """How a failing rule costs score.

    ``binary``: a failing rule scores 0. ``linear``: it loses score in proportion to how
    far it is beyond its threshold, reaching 0 at ``span`` beyond (counts for findings,
    metric/fact units otherwise), so legacy debt shows as a gradient, not a cliff.
    ``weight`` defaults to the rule severity's weight (see ``SEVERITY_WEIGHT``).
    """

    mode: Literal["binary", "linear"] = "binary"
    span: float | None = Field(default=None, gt=0)
    weight: float | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _linear_needs_span(self) -> Scoring:
        if self.mode == "linear" and self.span is None:
            raise ValueError("scoring mode 'linear' needs 'span' (> 0)")
        return self


class Rule(Model):
    """One rule of a standard: what it demands, why, and how it is checked."""

    id: str = Field(pattern=RULE_ID)
    title: Text
    rationale: Text
    severity: Severity
    check: Check
    scoring: Scoring = Scoring()
    references: list[str] = Field(default_factory=list)

    def weight(self) -> float:
        """This rule's weight in its standard's score."""
        return self.scoring.weight if self.scoring.weight is not None else (SEVERITY_WEIGHT[self.severity])


class Standard(Model):
    """A standard: an id (``development``), a rule-id prefix (``DEV``) and its rules."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_-]*$")
    prefix: str = Field(pattern=r"^[A-Z]{2,6}$")
    title: Text
    version: str = Field(min_length=1)
    description: Text | None = None
    rules: list[Rule] = Field(min_length=1)

    @model_validator(mode="after")
    def _rules_consistent(self) -> Standard:
        """Rule ids are unique and carry the prefix; ``ctx.loc`` says which rule is wrong."""
        seen: set[str] = set()
        for index, rule in enumerate(self.rules):
            if rule.id in seen:
                raise _located("rule id {rule} is used twice", index, rule.id)
            if not rule.id.startswith(self.prefix + "-"):
                raise _located(
                    "rule id {rule} does not start with the standard's prefix {prefix}-",
                    index,
                    rule.id,
                    prefix=self.prefix,
                )
            seen.add(rule.id)
        return self


def _located(template: str, index: int, rule: str, **extra: str) -> PydanticCustomError:
    """A model-level error that still tells the loader which rule (and so which line)."""
    return PydanticCustomError("rule_id", template, {"rule": rule, "loc": ("rules", index, "id"), **extra})
