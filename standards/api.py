"""What the CLI (``govern standards list|show|check|docs``) and the scan service call.

Thin, keyword-only functions over the library, so ``governance/cli`` stays a parser and a
printer and the portal can offer the same operations without duplicating rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from scanners.rules import RuleCatalogue
from standards.docs import LANGS, write_docs
from standards.errors import StandardError
from standards.loader import check_standard_file, load_builtin_standards, load_standards
from standards.profile_model import LoadedProfile
from standards.profiles import builtin_profiles, check_profile_file, load_profiles
from standards.schema import Rule, Standard
from standards.yamlsource import read_yaml


def load_catalogue(
    paths: Iterable[str | Path] = (), *, rules: RuleCatalogue | None = None
) -> dict[str, Standard]:
    """The built-in standards plus an organisation's own files (which may not reuse an id)."""
    catalogue = load_builtin_standards(rules=rules)
    for standard_id, standard in load_standards(paths, rules=rules).items():
        if standard_id in catalogue:
            raise StandardError(
                "<standards>", 1, f"standard id {standard_id!r} is already a built-in standard"
            )
        catalogue[standard_id] = standard
    return catalogue


def load_profile_set(paths: Iterable[str | Path] = ()) -> dict[str, LoadedProfile]:
    """The built-in profiles plus an organisation's own (which may replace a built-in)."""
    return {**builtin_profiles(), **load_profiles(paths)}


@dataclass(frozen=True, slots=True)
class StandardSummary:
    """One line of ``govern standards list``."""

    id: str
    prefix: str
    version: str
    title_zh: str
    title_en: str
    rules: int


def list_standards(*, catalogue: Mapping[str, Standard] | None = None) -> list[StandardSummary]:
    """Summaries of the standards (the built-ins unless a catalogue is given)."""
    standards = catalogue if catalogue is not None else load_builtin_standards()
    return [
        StandardSummary(s.id, s.prefix, s.version, s.title.get("zh-CN"), s.title.en, len(s.rules))
        for s in standards.values()
    ]


def show(
    item_id: str, *, catalogue: Mapping[str, Standard] | None = None
) -> Standard | tuple[Standard, Rule]:
    """A standard by id (``development``) or a rule by id (``DEV-004``) with its standard.

    Raises ``KeyError`` naming the unknown id.
    """
    standards = catalogue if catalogue is not None else load_builtin_standards()
    if item_id in standards:
        return standards[item_id]
    for standard in standards.values():
        for rule in standard.rules:
            if rule.id == item_id.upper():
                return standard, rule
    raise KeyError(f"no standard or rule {item_id!r}")


def check_file(
    path: str | Path,
    *,
    rules: RuleCatalogue | None = None,
    catalogue: Mapping[str, Standard] | None = None,
    profiles: Mapping[str, LoadedProfile] | None = None,
) -> list[StandardError]:
    """Every problem of a standard *or* profile file (a file with ``rules`` is a standard).

    A profile is resolved against ``profiles`` (default: the built-ins) and ``catalogue``
    (default: the built-in standards). Returns an empty list for a valid file; never
    raises for the file's content.
    """
    try:
        located = read_yaml(path)
    except StandardError as exc:
        return [exc]
    if isinstance(located.data, dict) and "rules" in located.data:
        return check_standard_file(path, rules=rules)
    return check_profile_file(path, catalogue=catalogue, profiles=profiles)


def write_catalogue(
    out_dir: str | Path,
    *,
    catalogue: Mapping[str, Standard] | None = None,
    langs: tuple[str, ...] = LANGS,
) -> list[Path]:
    """Write the rule catalogue (``standards.md``, ``standards.html``) for ``docs``."""
    standards = catalogue if catalogue is not None else load_builtin_standards()
    return write_docs(out_dir, standards, langs)
