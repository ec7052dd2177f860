"""Components from the tree's manifests and lock files (pure: ``(path, bytes)`` in, components out).

Read: ``requirements*.txt`` (pip), ``poetry.lock`` and ``uv.lock`` (TOML), ``package-lock.json``
(npm, lockfile v1-v3) and ``pom.xml`` (Maven, ``${property}`` versions resolved from the POM's
own properties). A component without an exact version is kept (the SBOM lists it) but cannot
be matched against advisories. A manifest that does not parse is skipped and named.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from governance.errors import InvalidInput
from governance.evidence.xmlsafe import parse_xml

_REQUIREMENTS = re.compile(r"(^|/)requirements[^/]*\.txt$")
_MAVEN_NS = re.compile(r"^\{[^}]*\}")
_PROPERTY = re.compile(r"\$\{([^}]+)\}")


@dataclass(frozen=True, order=True)
class Component:
    """One third-party component: ecosystem as OSV names it (PyPI, npm, Maven)."""

    ecosystem: str
    name: str
    version: str | None
    source: str
    licence: str | None = None

    @property
    def purl(self) -> str:
        kind = {"PyPI": "pypi", "npm": "npm", "Maven": "maven"}[self.ecosystem]
        name = self.name.replace(":", "/") if kind == "maven" else self.name
        return f"pkg:{kind}/{name}" + (f"@{self.version}" if self.version else "")


def pip_requirements(text: str) -> Iterator[Requirement]:
    """The requirements of a pip requirements file; options (``-r``, ``-e``), comments and
    lines pip would refuse are passed over, as a scan must not fail on a vendor's file."""
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        try:
            yield Requirement(line)
        except InvalidRequirement:
            continue


def _pip(path: str, text: str) -> Iterator[Component]:
    for requirement in pip_requirements(text):
        pins = [
            s.version for s in requirement.specifier if s.operator in ("==", "===") and "*" not in s.version
        ]
        yield Component("PyPI", canonicalize_name(requirement.name), pins[0] if pins else None, path)


def _toml_lock(path: str, text: str) -> Iterator[Component]:
    for package in tomllib.loads(text).get("package", []):
        if isinstance(package, dict) and "name" in package:
            source = package.get("source")
            if isinstance(source, dict) and ("editable" in source or "virtual" in source):
                continue  # the project itself in uv.lock
            yield Component("PyPI", canonicalize_name(str(package["name"])), package.get("version"), path)


def _npm_lock(path: str, text: str) -> Iterator[Component]:
    lock = json.loads(text)
    packages = lock.get("packages")
    if isinstance(packages, dict):
        for key, info in packages.items():
            if key and "node_modules/" in key and isinstance(info, dict) and not info.get("link"):
                name = key.rsplit("node_modules/", 1)[1]
                licence = info.get("license")
                yield Component(
                    "npm", name, info.get("version"), path, licence if isinstance(licence, str) else None
                )
        return
    for name, info in (lock.get("dependencies") or {}).items():
        yield Component("npm", name, info.get("version"), path)


def _local(tag: str) -> str:
    return _MAVEN_NS.sub("", tag)


def _pom(path: str, data: bytes) -> Iterator[Component]:
    root = parse_xml(data, what=path)
    properties: dict[str, str] = {}
    for element in root.iter():
        if _local(element.tag) == "properties":
            properties.update({_local(child.tag): (child.text or "").strip() for child in element})
        if _local(element.tag) == "version" and element in list(root):
            properties["project.version"] = (element.text or "").strip()
    for element in root.iter():
        if _local(element.tag) != "dependency":
            continue
        fields = {_local(child.tag): (child.text or "").strip() for child in element}
        if fields.get("scope") in ("test", "provided", "system") or "artifactId" not in fields:
            continue
        version = _PROPERTY.sub(lambda m: properties.get(m.group(1), m.group(0)), fields.get("version", ""))
        exact = version if version and "$" not in version and not version.startswith(("[", "(")) else None
        yield Component("Maven", f"{fields.get('groupId', '')}:{fields['artifactId']}", exact, path)


def _parser(path: str) -> Callable[[str, bytes], Iterable[Component]] | None:
    name = path.rsplit("/", 1)[-1]
    if _REQUIREMENTS.search(path):
        return lambda p, d: _pip(p, d.decode("utf-8", "replace"))
    if name in ("poetry.lock", "uv.lock"):
        return lambda p, d: _toml_lock(p, d.decode("utf-8", "replace"))
    if name == "package-lock.json":
        return lambda p, d: _npm_lock(p, d.decode("utf-8", "replace"))
    if name == "pom.xml":
        return _pom
    return None


@dataclass(frozen=True)
class Inventory:
    """Components found, and the manifests that could not be read (with why)."""

    components: tuple[Component, ...]
    unreadable: tuple[str, ...] = ()


def inventory(paths: Sequence[str], read: Callable[[str], bytes]) -> Inventory:
    """Every component declared by the tree's manifests, deduplicated, in a stable order."""
    found: set[Component] = set()
    unreadable: list[str] = []
    for path in paths:
        parse = _parser(path)
        if parse is None or "/node_modules/" in f"/{path}":
            continue
        try:
            found.update(parse(path, read(path)))
        except (
            ValueError,
            KeyError,
            TypeError,
            AttributeError,
            tomllib.TOMLDecodeError,
            InvalidInput,
        ) as exc:
            unreadable.append(f"{path}: {exc}")
    return Inventory(
        tuple(sorted(found, key=lambda c: (c.ecosystem, c.name, c.version or "", c.source))),
        tuple(unreadable),
    )
