"""Scanner discovery through entry points: find -> load -> validate (as flake8 does).

Built-in scanners are declared in ``pyproject.toml`` under ``govern.scanners`` exactly as
a third-party package would declare its own, so both go through one path. Nothing is
built at import time: :func:`build_registry` makes a fresh :class:`Registry` for the
caller (CLI, worker, test) to pass around.

Each entry point names a class (or factory) called as ``factory(config)`` where
``config`` is that scanner's mapping of options (``{}`` when none); the instance's
``name`` must equal the entry point's name, which is the key standards bind to.

Which scanners run: every installed one, except those whose factory says
``enabled_by_default = False`` (an alternative engine such as ruff, which must change no
result unless chosen); a scanner's settings may say ``enabled: true`` or ``enabled: false``
to override that (a profile drops pylint, or chooses ruff). ``enabled`` is the registry's key:
it is taken out before the scanner sees its options, so it changes no config digest.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib.metadata import EntryPoint, entry_points
from typing import Any

from scanners.base import ProjectScanner, Scanner
from scanners.errors import (
    DuplicateScannerError,
    ScannerConfigError,
    ScannerLoadError,
    ScannerValidationError,
)
from scanners.rulecache import declared_rules
from scanners.rules import RuleCatalogue, RuleDeclarationError, RuleDoc

SCANNER_GROUP = "govern.scanners"
ENABLED = "enabled"
PROJECT_SCANNER_GROUP = "govern.project_scanners"

ScannerConfig = Mapping[str, Mapping[str, Any]]


@dataclass(frozen=True)
class Registry:
    """The loaded per-file scanners, in deterministic (name) order."""

    scanners: tuple[Scanner, ...]

    @property
    def names(self) -> tuple[str, ...]:
        """Scanner names in registry order."""
        return tuple(scanner.name for scanner in self.scanners)

    def get(self, name: str) -> Scanner:
        """The scanner called ``name``; a clear error if there is none."""
        for scanner in self.scanners:
            if scanner.name == name:
                return scanner
        raise ScannerConfigError(f"no scanner named {name!r}; known: {list(self.names)}")

    def applicable(self, path: str) -> tuple[Scanner, ...]:
        """Scanners that analyse a file at ``path``, in registry order."""
        return tuple(scanner for scanner in self.scanners if scanner.applies_to(path))


def _distribution(entry_point: EntryPoint) -> str:
    dist = entry_point.dist
    return dist.name if dist is not None else "<unknown distribution>"


def find(
    group: str = SCANNER_GROUP, candidates: Iterable[EntryPoint] | None = None
) -> tuple[EntryPoint, ...]:
    """Phase 1: the entry points of ``group``, sorted, with duplicate names refused."""
    found = entry_points(group=group) if candidates is None else candidates
    ordered = sorted(found, key=lambda ep: (ep.name, ep.value))
    by_name: dict[str, EntryPoint] = {}
    for entry_point in ordered:
        other = by_name.get(entry_point.name)
        if other is not None:
            raise DuplicateScannerError(
                f"scanner name {entry_point.name!r} registered twice: {other.value!r} "
                f"({_distribution(other)}) and {entry_point.value!r} "
                f"({_distribution(entry_point)})"
            )
        by_name[entry_point.name] = entry_point
    return tuple(ordered)


def load(entry_point: EntryPoint, config: Mapping[str, Any]) -> object:
    """Phase 2: import and instantiate one entry point; failures name the culprit.

    Any exception from a plugin's import or constructor is re-raised as
    :class:`ScannerLoadError` carrying the entry point and distribution; nothing is
    swallowed, and a configuration error from our own scanners passes through as is.
    """
    try:
        factory = entry_point.load()
        return factory(dict(config))
    except ScannerConfigError:
        raise
    except Exception as exc:
        raise ScannerLoadError(
            f"{entry_point.name} = {entry_point.value}", _distribution(entry_point), exc
        ) from exc


def validate(entry_point: EntryPoint, instance: object, protocol: type) -> tuple[RuleDoc, ...]:
    """Phase 3: the instance satisfies the protocol and carries the entry point's name; the
    rules it declares, checked."""
    name = getattr(instance, "name", None)
    scope = getattr(instance, "cache_scope", "file")
    problem = None
    if not isinstance(instance, protocol):
        problem = f"does not satisfy {protocol.__name__}"
    elif name != entry_point.name:
        problem = f"scanner calls itself {name!r}"
    elif scope not in ("file", "closure", "trace"):
        problem = f"unknown cache_scope {scope!r}"
    else:
        try:
            return declared_rules(entry_point, instance)
        except RuleDeclarationError as exc:
            problem = str(exc)
    # named only when refused: a distribution's name is read from its metadata file
    where = f"{entry_point.name} = {entry_point.value} ({_distribution(entry_point)})"
    raise ScannerValidationError(f"{where}: {problem}")


def switch(name: str, options: Mapping[str, Any]) -> bool | None:
    """A scanner's ``enabled`` setting: True, False, or None when not set; anything else is refused."""
    value = options.get(ENABLED)
    if value is None or isinstance(value, bool):
        return value
    raise ScannerConfigError(f"scanner {name!r}: 'enabled' must be true or false, not {value!r}")


def without_switch(options: Mapping[str, Any]) -> dict[str, Any]:
    """A scanner's settings as the scanner takes them: the registry's ``enabled`` key removed."""
    return {key: value for key, value in options.items() if key != ENABLED}


def on_by_default(entry_point: EntryPoint) -> bool:
    """Whether a scanner runs when nothing says otherwise: its factory's ``enabled_by_default``
    (read from the class before any instance is built; a factory without it runs, as every
    scanner did before the attribute existed)."""
    try:
        factory = entry_point.load()
    except Exception as exc:
        raise ScannerLoadError(
            f"{entry_point.name} = {entry_point.value}", _distribution(entry_point), exc
        ) from exc
    return getattr(factory, "enabled_by_default", True) is not False


def _wanted(found: Iterable[EntryPoint], config: ScannerConfig) -> set[str]:
    wanted = set()
    for entry_point in found:
        chosen = switch(entry_point.name, config.get(entry_point.name, {}))
        if chosen if chosen is not None else on_by_default(entry_point):
            wanted.add(entry_point.name)
    return wanted


def _load_all(
    group: str,
    protocol: type,
    config: ScannerConfig | None,
    candidates: Iterable[EntryPoint] | None,
    enabled: Iterable[str] | None,
) -> list[Any]:
    found = find(group, candidates)
    names = {ep.name for ep in found}
    config = config or {}
    for label, requested in (("configured", set(config)), ("enabled", set(enabled or ()))):
        unknown = sorted(requested - names)
        if unknown:
            raise ScannerConfigError(f"{label} scanner(s) not installed: {unknown}")
    wanted = _wanted(found, config) if enabled is None else set(enabled)
    loaded = []
    for entry_point in found:
        if entry_point.name not in wanted:
            continue
        instance = load(entry_point, without_switch(config.get(entry_point.name, {})))
        validate(entry_point, instance, protocol)
        loaded.append(instance)
    return loaded


def build_registry(
    *,
    config: ScannerConfig | None = None,
    enabled: Iterable[str] | None = None,
    candidates: Iterable[EntryPoint] | None = None,
    group: str = SCANNER_GROUP,
) -> Registry:
    """Discover, load and validate the per-file scanners.

    ``config`` maps scanner name -> options (``enabled`` among them switches a scanner on or
    off); ``enabled`` names exactly the scanners to build, whatever their defaults and
    switches (a worker building the one scanner of a unit); by default every scanner that is
    on (see the module docstring). ``candidates`` replaces installed entry points (tests,
    embedding).
    """
    return Registry(tuple(_load_all(group, Scanner, config, candidates, enabled)))


def build_project_scanners(
    *,
    config: ScannerConfig | None = None,
    enabled: Iterable[str] | None = None,
    candidates: Iterable[EntryPoint] | None = None,
    group: str = PROJECT_SCANNER_GROUP,
) -> tuple[ProjectScanner, ...]:
    """Discover, load and validate the project-level scanners (same phases)."""
    return tuple(_load_all(group, ProjectScanner, config, candidates, enabled))


def rule_catalogue(scanners: Iterable[Scanner | ProjectScanner]) -> RuleCatalogue:
    """The rules the given (loaded) scanners declare: what standards may bind."""
    return RuleCatalogue.of({scanner.name: scanner.rules() for scanner in scanners})


def installed_names(group: str = SCANNER_GROUP) -> tuple[str, ...]:
    """The names of every installed scanner of ``group``, on by default or not."""
    return tuple(entry_point.name for entry_point in find(group))


@cache
def installed_rules() -> RuleCatalogue:
    """The rules of every installed scanner with default settings, those off by default
    included (a profile may switch them on), built once per process on first use, each
    declaration read from :mod:`scanners.rulecache` when unchanged: what a standard file is
    validated against when no catalogue is given."""
    declared: dict[str, tuple[RuleDoc, ...]] = {}
    for group, protocol in ((SCANNER_GROUP, Scanner), (PROJECT_SCANNER_GROUP, ProjectScanner)):
        for entry_point in find(group):
            declared[entry_point.name] = validate(entry_point, load(entry_point, {}), protocol)
    return RuleCatalogue.of(declared)
