"""What the CLI (``govern standards list|show|check|docs``) and the scan service call.

Thin, keyword-only functions over the library, so ``governance/cli`` stays a parser and a
printer and the portal can offer the same operations without duplicating rules.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from standards.docs import LANGS, write_docs
from standards.errors import StandardError
from standards.loader import check_standard_file, load_builtin_standards
from standards.profiles import check_profile_file
from standards.schema import Rule, Standard
from standards.yamlsource import read_yaml


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
        StandardSummary(s.id, s.prefix, s.version, s.title.get("zh-CN"), s.title.en,
                        len(s.rules))
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
    scanners: Sequence[str] | None = None,
    catalogue: Mapping[str, Standard] | None = None,
) -> list[StandardError]:
    """Every problem of a standard *or* profile file (a file with ``rules`` is a standard).

    Returns an empty list for a valid file; never raises for the file's content.
    """
    try:
        located = read_yaml(path)
    except StandardError as exc:
        return [exc]
    if isinstance(located.data, dict) and "rules" in located.data:
        return check_standard_file(path, scanners=scanners)
    return check_profile_file(path, catalogue=catalogue)


def write_catalogue(
    out_dir: str | Path,
    *,
    catalogue: Mapping[str, Standard] | None = None,
    langs: tuple[str, ...] = LANGS,
) -> list[Path]:
    """Write the rule catalogue (``standards.md``, ``standards.html``) for ``docs``."""
    standards = catalogue if catalogue is not None else load_builtin_standards()
    return write_docs(out_dir, standards, langs)
