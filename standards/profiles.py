"""Profiles: which standards a module is judged by, tuned, and how they inherit.

A profile picks standards, overrides thresholds/severities/scoring of single rules,
disables rules (a justification is mandatory: an auditor must see *why* a rule was not
applied) and sets the gate. ``extends`` chains profiles; the resolved result is an
:class:`EffectiveProfile` whose digest is stored with every scan, so a result can always
be traced to the exact rules that judged it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from standards.errors import ProfileError, StandardError
from standards.loader import builtin_dir, load_builtin_standards, validate_located
from standards.profile_model import EffectiveProfile, EvidencePolicy, LoadedProfile, Profile
from standards.resolve import resolve
from standards.schema import Standard
from standards.yamlsource import read_yaml


def load_profile(path: str | Path, *, text: str | None = None) -> LoadedProfile:
    """Read and validate one profile file (references are checked by resolution)."""
    located = read_yaml(path, text)
    return LoadedProfile(validate_located(located, Profile, error=ProfileError), located)


def load_profiles(paths: Iterable[str | Path]) -> dict[str, LoadedProfile]:
    """Several profiles keyed by id; a second file with the same id is an error."""
    out: dict[str, LoadedProfile] = {}
    for path in paths:
        loaded = load_profile(path)
        if loaded.profile.id in out:
            raise loaded.error(("id",), f"profile id {loaded.profile.id!r} is defined twice")
        out[loaded.profile.id] = loaded
    return out


def builtin_profiles() -> dict[str, LoadedProfile]:
    """Govern's built-in profiles (``default``, ``legacy``)."""
    return load_profiles(sorted((builtin_dir() / "profiles").glob("*.yaml")))


def effective_profile(
    profile_id: str,
    *,
    profiles: Mapping[str, LoadedProfile],
    catalogue: Mapping[str, Standard],
) -> EffectiveProfile:
    """Resolve ``extends`` and apply every override; raise :class:`ProfileError` if wrong."""
    return resolve(_chain(profile_id, profiles), catalogue)


def _chain(profile_id: str, profiles: Mapping[str, LoadedProfile]) -> list[LoadedProfile]:
    """Profiles from the root ancestor to ``profile_id``; cycles and unknowns are errors."""
    if profile_id not in profiles:
        raise ProfileError("<profiles>", 1, f"unknown profile {profile_id!r}")
    chain: list[LoadedProfile] = []
    seen: list[str] = []
    current: LoadedProfile | None = profiles[profile_id]
    while current is not None:
        pid = current.profile.id
        if pid in seen:
            cycle = " -> ".join([*seen, pid])
            raise chain[-1].error(("extends",), f"'extends' makes a cycle: {cycle}")
        seen.append(pid)
        chain.append(current)
        parent = current.profile.extends
        if parent is not None and parent not in profiles:
            raise current.error(("extends",), f"extends unknown profile {parent!r}")
        current = profiles[parent] if parent is not None else None
    return chain[::-1]


def judging_content(profile: EffectiveProfile) -> dict[str, Any]:
    """What decides a verdict: rule checks, severities, scoring, disabled rules, gate.

    Titles and rationales are left out on purpose: fixing a translation must not make
    old scans look as if they were judged by different rules.
    """
    content: dict[str, Any] = {
        "standards": [{"id": s.id, "version": s.version} for s in profile.standards],
        "rules": [
            {
                "standard": r.standard,
                **r.rule.model_dump(
                    mode="json", by_alias=True, include={"id", "severity", "check", "scoring"}
                ),
            }
            for r in profile.rules
        ],
        "disabled": [d.model_dump(mode="json") for d in profile.disabled],
        "gate": profile.gate.model_dump(mode="json"),
        "scanners": profile.scanners,
    }
    if profile.evidence != EvidencePolicy():  # absent from older digests: they stay as they were
        content["evidence"] = profile.evidence.model_dump(mode="json")
    return content


def profile_digest(profile: EffectiveProfile) -> str:
    """Stable sha256 of the canonical JSON of what judges a scan (see judging_content)."""
    canonical = json.dumps(
        judging_content(profile), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def check_profile_file(
    path: str | Path,
    *,
    profiles: Mapping[str, LoadedProfile] | None = None,
    catalogue: Mapping[str, Standard] | None = None,
) -> list[StandardError]:
    """Every problem of one profile file, including unresolvable references."""
    try:
        loaded = load_profile(path)
        known = dict(profiles if profiles is not None else builtin_profiles())
        known[loaded.profile.id] = loaded
        effective_profile(
            loaded.profile.id,
            profiles=known,
            catalogue=catalogue if catalogue is not None else load_builtin_standards(),
        )
    except StandardError as exc:
        return list(exc.errors)
    return []
