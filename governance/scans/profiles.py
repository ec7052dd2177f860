"""The standards profiles a scan may be judged by: built-ins plus the organisation's own.

An organisation's profiles live in ``GOVERN_PROFILES_DIR`` (default ``<data_dir>/profiles``),
one YAML file each: they belong to the organisation, never to a vendor's repository, so
a vendor cannot relax its own rules by committing a file.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from governance.config import Settings
from governance.errors import InvalidInput, said
from governance.registry.models import Module
from standards.api import load_profile_set
from standards.errors import StandardError
from standards.loader import load_builtin_standards, load_standards
from standards.profile_model import EffectiveProfile, LoadedProfile
from standards.profiles import effective_profile
from standards.schema import Standard


def profiles_dir(settings: Settings) -> Path:
    return settings.profiles_dir or settings.data_dir / "profiles"


def organisation_profiles(settings: Settings) -> dict[str, LoadedProfile]:
    """Built-in profiles and every ``*.yaml`` of the profiles directory (which may replace one)."""
    folder = profiles_dir(settings)
    files = sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")) if folder.is_dir() else []
    try:
        return load_profile_set(files)
    except StandardError as exc:
        raise said(InvalidInput, "broken standards profile: %(error)s", error=str(exc)) from exc


@lru_cache(maxsize=1)
def builtin_catalogue() -> dict[str, Standard]:
    """The six built-in standards, parsed once per process (they ship with the code)."""
    return load_builtin_standards()


def standards_dir(settings: Settings) -> Path:
    return settings.standards_dir or settings.data_dir / "standards"


def organisation_catalogue(settings: Settings) -> dict[str, Standard]:
    """The built-in standards plus every ``*.yaml`` of the standards directory.

    An organisation's own standard may bind any installed scanner's declared rules (a
    third-party plugin's too); a profile then lists it to judge modules by it. Read on each
    call, like the profiles, so an edited file counts from the next scan.
    """
    folder = standards_dir(settings)
    files = sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")) if folder.is_dir() else []
    if not files:
        return builtin_catalogue()
    try:
        own = load_standards(files)
    except StandardError as exc:
        raise said(InvalidInput, "broken standard file: %(error)s", error=str(exc)) from exc
    clash = sorted(set(own) & set(builtin_catalogue()))
    if clash:
        raise said(
            InvalidInput,
            "standard id(s) %(clash)s of %(folder)s are already built-in standards",
            clash=str(clash),
            folder=str(folder),
        )
    return {**builtin_catalogue(), **own}


def judging_profile(module: Module, settings: Settings) -> EffectiveProfile:
    """The module's effective standards profile; a broken or unknown one is a clear error."""
    try:
        return effective_profile(
            module.profile,
            profiles=organisation_profiles(settings),
            catalogue=organisation_catalogue(settings),
        )
    except StandardError as exc:
        raise said(
            InvalidInput,
            "module %(module)s: standards profile %(profile)s: %(error)s",
            module=module.key,
            profile=repr(module.profile),
            error=str(exc),
        ) from exc
