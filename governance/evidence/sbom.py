"""A CycloneDX SBOM of a scan's components (cyclonedx-python-lib), validated by its own validator.

cyclonedx is imported by the functions that build or check an SBOM, not at module import:
this module is reached from the scan runner, which `govern` imports at start.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from governance.evidence.manifests import Component

if TYPE_CHECKING:
    from cyclonedx.model.license import DisjunctiveLicense, LicenseExpression


def _licences(licence: str | None) -> list[DisjunctiveLicense | LicenseExpression]:
    from cyclonedx.model.license import DisjunctiveLicense, LicenseExpression

    if not licence:
        return []
    if any(op in licence for op in (" OR ", " AND ", " WITH ")):
        return [LicenseExpression(licence)]
    return (
        [DisjunctiveLicense(id=licence)]
        if licence.replace("-", "").replace(".", "").isalnum()
        else [DisjunctiveLicense(name=licence)]
    )


def build_sbom(*, module: str, commit: str, components: Sequence[Component]) -> str:
    """The SBOM as CycloneDX 1.6 JSON, serialised by the CycloneDX library itself.

    It is not re-validated on every scan: the validator pulls in jsonschema's format checkers,
    whose import alone costs seconds per process; :func:`validation_problem` (used by the
    tests on real manifests) checks the same output against the official schema.
    """
    from cyclonedx.model.bom import Bom
    from cyclonedx.model.component import Component as CdxComponent
    from cyclonedx.model.component import ComponentType
    from cyclonedx.output.json import JsonV1Dot6
    from packageurl import PackageURL

    bom = Bom()
    root = CdxComponent(name=module, version=commit, type=ComponentType.APPLICATION, bom_ref=module)
    bom.metadata.component = root
    members = []
    for item in components:
        group, _, name = item.name.rpartition(":") if item.ecosystem == "Maven" else ("", "", item.name)
        members.append(
            CdxComponent(
                group=group or None,
                name=name,
                version=item.version,
                type=ComponentType.LIBRARY,
                purl=PackageURL.from_string(item.purl),
                bom_ref=f"{item.purl}#{item.source}",
                licenses=_licences(item.licence),
            )
        )
    bom.components.update(members)
    bom.register_dependency(root, members)
    return JsonV1Dot6(bom).output_as_string(indent=None)


def validation_problem(text: str) -> str | None:
    """What the CycloneDX library's strict validator finds wrong with ``text`` (``None``: valid)."""
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator  # slow import: only when asked

    problem = JsonStrictValidator(SchemaVersion.V1_6).validate_str(text)
    return None if problem is None else str(problem)
