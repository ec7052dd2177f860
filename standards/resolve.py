"""Resolving a chain of profiles into the exact rules a module is judged by.

Inheritance is applied root first: a child's settings win field by field (a child that
only changes a threshold keeps its parent's severity override for the same rule).
References are checked as they are merged, so an error names the profile file and line
that made it, not the leaf profile that happened to inherit it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from standards.profile_model import (
    DisabledRule,
    EffectiveProfile,
    EffectiveRule,
    EvidencePolicy,
    Gate,
    GateConditionSpec,
    LoadedProfile,
    NewCodeGate,
    OverallGate,
    RuleOverride,
    SarifBinding,
    StandardRef,
    TicketPolicy,
)
from standards.schema import FindingsCheck, Rule, Scoring, Standard


class _Merge:
    """Accumulates the settings of a profile chain, checking each reference."""

    def __init__(self, catalogue: Mapping[str, Standard]) -> None:
        self.catalogue = catalogue
        self.owner = {r.id: (s.id, r) for s in catalogue.values() for r in s.rules}
        self.selected: list[str] = list(catalogue)
        self.overrides: dict[str, dict[str, Any]] = {}
        self.disabled: dict[str, tuple[str, str]] = {}
        self.gate: dict[str, dict[str, Any]] = {"overall": {}, "new": {}}
        self.conditions: dict[str, GateConditionSpec] = {}
        self.scanners: dict[str, dict[str, Any]] = {}
        self.evidence: dict[str, dict[str, Any]] = {"licences": {}, "tools": {}}
        self.tickets: dict[str, Any] = {"open_on": {}, "sla_days": {}}
        self.sarif: list[tuple[LoadedProfile, int, SarifBinding]] = []

    def add(self, loaded: LoadedProfile) -> None:
        """Merge one profile of the chain (root first)."""
        profile = loaded.profile
        if profile.standards is not None:
            for index, sid in enumerate(profile.standards):
                if sid not in self.catalogue:
                    raise loaded.error(
                        ("standards", index), f"unknown standard {sid!r}; known: {', '.join(self.catalogue)}"
                    )
            self.selected = list(dict.fromkeys(profile.standards))
        for rid, override in profile.overrides.items():
            self._override(loaded, rid, override)
        for index, item in enumerate(profile.disable):
            self._known(loaded, ("disable", index, "rule"), item.rule)
            self.disabled[item.rule] = (item.justification, profile.id)
        for index, rid in enumerate(profile.enable):
            self._known(loaded, ("enable", index), rid)
            self.disabled.pop(rid, None)
        for name, settings in profile.scanners.items():
            self.scanners.setdefault(name, {}).update(settings)
        self._evidence(loaded)
        self._tickets(loaded)
        for index, binding in enumerate(profile.sarif):
            self._sarif(loaded, index, binding)
        if profile.gate is not None:
            self._gate(loaded, profile.gate)

    def _gate(self, loaded: LoadedProfile, gate: Gate) -> None:
        """Shorthand merges key by key; named conditions replace their namesakes."""
        self.gate["overall"].update(gate.overall.model_dump(exclude_unset=True))
        self.gate["new"].update(gate.new.model_dump(exclude_unset=True))
        for field in ("min_standard_score", "min_standard_level"):
            for sid in getattr(gate.overall, field):
                self._known_standard(loaded, ("gate", "overall", field, sid), sid)
        for index, condition in enumerate(gate.conditions):
            if condition.standard is not None:
                self._known_standard(loaded, ("gate", "conditions", index, "standard"), condition.standard)
            self.conditions[condition.id] = condition

    def _known_standard(self, loaded: LoadedProfile, loc: tuple[str | int, ...], sid: str) -> None:
        if sid not in self.catalogue:
            raise loaded.error(loc, f"unknown standard {sid!r}; known: {', '.join(self.catalogue)}")

    def _tickets(self, loaded: LoadedProfile) -> None:
        """Ticket rules merge key by key (SLA days severity by severity)."""
        if loaded.profile.tickets is None:
            return
        written = loaded.profile.tickets.model_dump(exclude_unset=True)
        self.tickets["open_on"].update(written.get("open_on", {}))
        self.tickets["sla_days"].update(written.get("sla_days", {}))

    def _evidence(self, loaded: LoadedProfile) -> None:
        """Evidence settings merge field by field, like the gate."""
        if loaded.profile.evidence is None:
            return
        for part in ("licences", "tools"):
            self.evidence[part].update(getattr(loaded.profile.evidence, part).model_dump(exclude_unset=True))

    def _sarif(self, loaded: LoadedProfile, index: int, binding: SarifBinding) -> None:
        """A binding names a known findings rule; the same (tool, rule) again replaces it."""
        rule = self._known(loaded, ("sarif", index, "rule"), binding.rule)
        if not isinstance(rule.check, FindingsCheck):
            raise loaded.error(
                ("sarif", index, "rule"),
                f"{binding.rule} is a {rule.check.kind} rule: only findings rules can count imported results",
            )
        self.sarif = [e for e in self.sarif if (e[2].tool, e[2].rule) != (binding.tool, binding.rule)]
        self.sarif.append((loaded, index, binding))

    def _known(self, loaded: LoadedProfile, loc: tuple[str | int, ...], rid: str) -> Rule:
        if rid not in self.owner:
            raise loaded.error(loc, f"unknown rule {rid!r}")
        return self.owner[rid][1]

    def _override(self, loaded: LoadedProfile, rid: str, override: RuleOverride) -> None:
        rule = self._known(loaded, ("overrides", rid), rid)
        values = override.model_dump(exclude_unset=True)
        threshold = values.get("threshold")
        if threshold is not None:
            values["threshold"] = _threshold_for(rule, threshold, loaded, rid)
        self.overrides.setdefault(rid, {}).update(values)

    def _check_leaf(self, leaf: LoadedProfile) -> None:
        """The leaf's own references must point into the standards it ends up with."""
        refs: list[tuple[tuple[str | int, ...], str]] = [
            (("overrides", rid), rid) for rid in leaf.profile.overrides
        ]
        refs += [(("disable", i, "rule"), d.rule) for i, d in enumerate(leaf.profile.disable)]
        refs += [(("sarif", i, "rule"), b.rule) for i, b in enumerate(leaf.profile.sarif)]
        for loc, rid in refs:
            standard = self.owner[rid][0]
            if standard not in self.selected:
                raise leaf.error(
                    loc, f"rule {rid} belongs to standard {standard!r}, which this profile does not select"
                )

    def rules(self, leaf: LoadedProfile) -> tuple[list[EffectiveRule], list[DisabledRule]]:
        """Rules of the selected standards, with overrides applied, and the disabled ones."""
        self._check_leaf(leaf)
        rules: list[EffectiveRule] = []
        disabled: list[DisabledRule] = []
        for sid in self.selected:
            for rule in self.catalogue[sid].rules:
                if rule.id in self.disabled:
                    why, by = self.disabled[rule.id]
                    disabled.append(DisabledRule(standard=sid, rule=rule.id, justification=why, profile=by))
                else:
                    bound = _bind(_apply(rule, self.overrides), self.bindings())
                    rules.append(EffectiveRule(standard=sid, rule=bound))
        return rules, disabled

    def bindings(self) -> list[SarifBinding]:
        return [binding for _, _, binding in self.sarif]


def _threshold_for(rule: Rule, value: float, loaded: LoadedProfile, rid: str) -> float | int:
    """Check an overriding threshold fits the rule's check (counts are whole numbers)."""
    kind = rule.check.kind
    if kind == "attestation":
        raise loaded.error(("overrides", rid, "threshold"), f"{rid} is an attestation: it has no threshold")
    if kind in ("findings", "required_file"):
        minimum = 1 if kind == "required_file" else 0
        if value != int(value) or value < minimum:
            raise loaded.error(
                ("overrides", rid, "threshold"),
                f"threshold of {rid} ({kind}) must be a whole number >= {minimum}, got {value:g}",
            )
        return int(value)
    return value


def _apply(rule: Rule, overrides: Mapping[str, Mapping[str, Any]]) -> Rule:
    """The rule with a profile's overrides applied (values already validated)."""
    values = overrides.get(rule.id)
    if not values:
        return rule
    update: dict[str, Any] = {}
    if values.get("severity") is not None:
        update["severity"] = values["severity"]
    if values.get("scoring") is not None:
        update["scoring"] = Scoring.model_validate(values["scoring"])
    check_update: dict[str, Any] = {}
    if values.get("threshold") is not None:
        check_update["threshold"] = values["threshold"]
    if values.get("exclude_paths") and hasattr(rule.check, "exclude_paths"):
        check_update["exclude_paths"] = [*rule.check.exclude_paths, *values["exclude_paths"]]
    if check_update:
        update["check"] = rule.check.model_copy(update=check_update)
    return rule.model_copy(update=update)


def _bind(rule: Rule, bindings: list[SarifBinding]) -> Rule:
    """The findings rule with the imported-rule patterns of the bindings that name it."""
    patterns = [p for b in bindings if b.rule == rule.id for p in b.patterns()]
    if not patterns or not isinstance(rule.check, FindingsCheck):
        return rule
    check = rule.check.model_copy(update={"rules": [*rule.check.rules, *patterns]})
    return rule.model_copy(update={"check": check})


def resolve(chain: list[LoadedProfile], catalogue: Mapping[str, Standard]) -> EffectiveProfile:
    """Merge a chain (root first) into an :class:`EffectiveProfile`."""
    merge = _Merge(catalogue)
    for loaded in chain:
        merge.add(loaded)
    leaf = chain[-1]
    rules, disabled = merge.rules(leaf)
    gate = Gate(
        overall=OverallGate.model_validate(merge.gate["overall"]),
        new=NewCodeGate.model_validate(merge.gate["new"]),
        conditions=list(merge.conditions.values()),
    )
    return EffectiveProfile(
        id=leaf.profile.id,
        chain=[p.profile.id for p in chain],
        standards=[
            StandardRef(id=s, version=catalogue[s].version, title=catalogue[s].title) for s in merge.selected
        ],
        rules=rules,
        disabled=disabled,
        gate=gate,
        scanners=merge.scanners,
        evidence=EvidencePolicy.model_validate(merge.evidence),
        tickets=_tickets(merge.tickets),
        sarif=merge.bindings(),
    )


def _tickets(merged: dict[str, Any]) -> TicketPolicy:
    """Ticket rules merged down the chain; SLA days merge severity by severity over the defaults."""
    defaults = TicketPolicy()
    return TicketPolicy.model_validate(
        {"open_on": merged["open_on"], "sla_days": {**defaults.sla_days, **merged["sla_days"]}}
    )
