"""Shared fixtures for the standards tests: the built-in catalogue and small factories."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date

import pytest

from scanners.base import Finding
from standards.loader import load_builtin_standards
from standards.profile_model import EffectiveProfile, LoadedProfile
from standards.profiles import builtin_profiles, effective_profile
from standards.schema import Standard

AS_OF = date(2026, 11, 25)
_counter = itertools.count()

FindingFactory = Callable[..., Finding]


@pytest.fixture(scope="session")
def catalogue() -> dict[str, Standard]:
    return load_builtin_standards()


@pytest.fixture(scope="session")
def profiles() -> dict[str, LoadedProfile]:
    return builtin_profiles()


@pytest.fixture(scope="session")
def default_profile(catalogue: dict[str, Standard], profiles: dict[str, LoadedProfile]) -> EffectiveProfile:
    return effective_profile("default", profiles=profiles, catalogue=catalogue)


def make_finding(
    rule: str = "pylint:W0611",
    *,
    severity: str = "minor",
    path: str = "src/app/service.py",
    fingerprint: str | None = None,
) -> Finding:
    """A finding with a unique fingerprint unless one is given."""
    tool, _, tool_rule = rule.partition(":")
    return Finding(
        rule=rule,
        tool=tool,
        tool_rule=tool_rule,
        severity=severity,  # type: ignore[arg-type]
        path=path,
        line=1,
        end_line=1,
        message="test",
        fingerprint=fingerprint or f"fp-{next(_counter)}",
    )


@pytest.fixture
def finding() -> FindingFactory:
    return make_finding
