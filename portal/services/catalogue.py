"""The rule catalogue as people read it: standards' rules, the scanner rules they bind, and
what each means under one module's profile.

Everything comes from the same data that judges the code: the standards (built-in and the
organisation's), the rules the installed scanners declare, and the module's effective
profile; the pages never keep a copy of their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from sqlmodel import Session

from governance import access
from governance.config import Settings
from governance.errors import NotFound, said
from governance.registry.models import Module, User
from governance.scans.profiles import judging_profile, organisation_catalogue
from scanners.registry import installed_rules
from scanners.rules import RuleDoc
from standards.docs import describe_check
from standards.profile_model import EffectiveProfile
from standards.schema import FindingsCheck, Rule, Standard

#: Bound scanner rules listed in full on a rule's page; a wider glob is summarised.
LISTED = 25


@dataclass(frozen=True)
class Binding:
    """One pattern a rule binds and the declared scanner rules it matches."""

    pattern: str
    docs: tuple[RuleDoc, ...]

    @property
    def listed(self) -> tuple[RuleDoc, ...]:
        return self.docs[:LISTED]


@dataclass(frozen=True)
class UnderProfile:
    """How a rule applies under one module's profile."""

    module: str
    profile: str
    state: Literal["applies", "disabled", "absent"]
    rule: Rule | None = None
    justification: str = ""


@dataclass(frozen=True)
class StandardRuleView:
    """A standard's rule: what it demands, what it binds, how it applies to a module."""

    standard: Standard
    rule: Rule
    description: str
    bindings: tuple[Binding, ...]
    under: UnderProfile | None
    kind: Literal["standard"] = "standard"

    def fixes(self, lang: str) -> list[tuple[str, str]]:
        """``(scanner rule id, how to fix)`` of the bound rules (a short list), deduplicated."""
        seen: dict[str, str] = {}
        for binding in self.bindings:
            for doc in binding.listed:
                seen.setdefault(doc.text("fix", lang), doc.id)
        return [(rule_id, text) for text, rule_id in seen.items()]


@dataclass(frozen=True)
class ScannerRuleView:
    """A scanner's rule and the standards' rules that count it."""

    doc: RuleDoc
    bound_by: tuple[tuple[Standard, Rule], ...]
    under: dict[str, UnderProfile] = field(default_factory=dict)
    kind: Literal["scanner"] = "scanner"


def standards(settings: Settings) -> list[Standard]:
    """Every standard, built-in first, then the organisation's own."""
    return list(organisation_catalogue(settings).values())


def scanner_rules() -> dict[str, list[RuleDoc]]:
    """The installed scanners' declared rules, by scanner."""
    by_scanner: dict[str, list[RuleDoc]] = {}
    for doc in installed_rules().docs.values():
        by_scanner.setdefault(doc.scanner, []).append(doc)
    return by_scanner


def module_profile(
    session: Session, *, settings: Settings, user: User, key: str | None
) -> tuple[Module, EffectiveProfile] | None:
    """The module ``key`` (access-checked) and its effective profile, or None without a key."""
    if not key:
        return None
    module = access.readable_module(session, user, key)
    return module, judging_profile(module, settings)


def rule_view(
    settings: Settings, *, rule_id: str, scope: tuple[Module, EffectiveProfile] | None
) -> StandardRuleView | ScannerRuleView:
    """The page of ``rule_id``: a standard's rule (``DEV-004``) or a scanner's (``pylint:W0611``)."""
    catalogue = organisation_catalogue(settings)
    if ":" in rule_id:
        doc = installed_rules().get(rule_id)
        if doc is None:
            raise said(NotFound, "no scanner rule %(rule_id)s", rule_id=repr(rule_id))
        bound = tuple(_binding_rules(catalogue, rule_id))
        under = {rule.id: _under(scope, rule.id) for _, rule in bound} if scope else {}
        return ScannerRuleView(doc, bound, {k: v for k, v in under.items() if v is not None})
    for standard in catalogue.values():
        for rule in standard.rules:
            if rule.id == rule_id.upper():
                return StandardRuleView(
                    standard, rule, describe_check(rule), _bindings(rule), _under(scope, rule.id)
                )
    raise said(NotFound, "no rule %(rule_id)s", rule_id=repr(rule_id))


def _bindings(rule: Rule) -> tuple[Binding, ...]:
    if not isinstance(rule.check, FindingsCheck):
        return ()
    declared = installed_rules()
    return tuple(Binding(pattern, tuple(declared.matching(pattern))) for pattern in rule.check.rules)


def _binding_rules(catalogue: dict[str, Standard], rule_id: str) -> list[tuple[Standard, Rule]]:
    doc = installed_rules().get(rule_id)
    found = []
    for standard in catalogue.values():
        for rule in standard.rules:
            if doc is not None and any(doc in binding.docs for binding in _bindings(rule)):
                found.append((standard, rule))
    return found


def _under(scope: tuple[Module, EffectiveProfile] | None, rule_id: str) -> UnderProfile | None:
    if scope is None:
        return None
    module, profile = scope
    for effective in profile.rules:
        if effective.rule.id == rule_id:
            return UnderProfile(module.key, profile.id, "applies", effective.rule)
    for disabled in profile.disabled:
        if disabled.rule == rule_id:
            return UnderProfile(module.key, profile.id, "disabled", justification=disabled.justification)
    return UnderProfile(module.key, profile.id, "absent")
