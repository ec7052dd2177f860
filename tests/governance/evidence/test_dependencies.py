"""Components from real manifests, a CycloneDX SBOM, and matching against a shipped OSV export."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator
from sqlmodel import Session, func, select

from governance.db import Database
from governance.errors import InvalidInput, RejectedFile
from governance.evidence import vulndb
from governance.evidence.manifests import inventory
from governance.evidence.models import ScanEvidence, VulnDatabase
from governance.evidence.sbom import build_sbom, validation_problem
from governance.scans.models import Scan, StandardResult

DATA = Path(__file__).with_name("data")
MANIFESTS = DATA / "manifests"


def osv_export(extra: dict[str, bytes] | None = None) -> bytes:
    """The shipped advisories zipped as osv.dev exports them (one JSON record per file)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted((DATA / "osv").glob("*.json")):
            archive.writestr(path.name, path.read_bytes())
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _components() -> tuple:  # type: ignore[type-arg]
    paths = sorted(p.name for p in MANIFESTS.iterdir())
    return inventory(paths, lambda p: (MANIFESTS / p).read_bytes()).components


def test_import_is_validated_versioned_and_dated(session: Session) -> None:
    first = vulndb.import_export(session, filename="all.zip", data=osv_export(), actor="admin")
    assert (first.version, first.advisories) == (1, 10)
    assert first.exported_at is not None
    assert first.exported_at.replace(tzinfo=UTC) == datetime(2024, 5, 20, 20, 15, tzinfo=UTC)
    broken = json.dumps({"id": "GHSA-xxxx", "modified": "2024-01-01T00:00:00Z"}).encode()
    with pytest.raises(RejectedFile, match=r"GHSA-bad.json: affected: Field required"):
        vulndb.import_export(
            session, filename="bad.zip", data=osv_export({"GHSA-bad.json": broken}), actor="a"
        )
    with pytest.raises(RejectedFile, match="not JSON"):
        vulndb.import_export(session, filename="bad.zip", data=osv_export({"x.json": b"{"}), actor="a")
    with pytest.raises(InvalidInput, match="not a zip archive"):
        vulndb.import_export(session, filename="all.json", data=b'{"id": 1}', actor="a")
    assert session.exec(select(func.count()).select_from(VulnDatabase)).one() == 1
    second = vulndb.import_export(session, filename="all.zip", data=osv_export(), actor="admin")
    assert second.version == 2 and vulndb.current(session) == second


def test_matching_honours_introduced_and_fixed(session: Session) -> None:
    vulndb.import_export(session, filename="all.zip", data=osv_export(), actor="admin")
    found = vulndb.match(session, components=_components()).found
    assert found is not None
    assert {(v.component, v.version, v.advisory, v.severity, v.source) for v in found} == {
        ("jinja2", "2.11.3", "GHSA-h5c8-rqwp-cp95", "minor", "requirements.txt"),  # not g3rq: fixed in 2.11.3
        (
            "requests",
            "2.31.0",
            "GHSA-9wx4-h78v-vm56",
            "minor",
            "requirements.txt",
        ),  # not j8r2: fixed in 2.31.0
        ("requests", "2.2.1", "GHSA-9wx4-h78v-vm56", "minor", "poetry.lock"),  # not j8r2: introduced 2.3.0
        ("urllib3", "1.26.17", "GHSA-g4mx-q9vg-27p4", "minor", "requirements.txt"),  # not v845: fixed 1.26.17
        ("pyyaml", "5.3.1", "GHSA-8q59-q68h-6hv4", "critical", "requirements.txt"),
        ("lodash", "4.17.11", "GHSA-jf85-cpcp-j695", "critical", "package-lock.json"),
        ("lodash", "4.17.11", "GHSA-35jh-r3h4-6jhm", "major", "package-lock.json"),
        (
            "com.fasterxml.jackson.core:jackson-databind",
            "2.9.10",
            "GHSA-4w82-r329-3q67",
            "critical",
            "pom.xml",
        ),
    }
    pyyaml = next(v for v in found if v.component == "pyyaml")
    assert pyyaml.fixed == "5.4"


def test_no_database_means_not_applicable(session: Session) -> None:
    assert vulndb.match(session, components=_components()).found is None


def test_sbom_of_real_manifests_is_valid_cyclonedx() -> None:
    components = _components()
    assert [c.name for c in components if c.ecosystem == "Maven"] == [
        "com.fasterxml.jackson.core:jackson-databind",
        "org.slf4j:slf4j-api",
    ]  # junit is test scope
    text = build_sbom(module="LED", commit="d" * 40, components=components)
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(text) is None
    assert validation_problem(text) is None
    document = json.loads(text)
    assert document["bomFormat"] == "CycloneDX" and document["specVersion"] == "1.6"
    purls = {c["purl"] for c in document["components"]}
    assert "pkg:pypi/pyyaml@5.3.1" in purls and "pkg:npm/lodash@4.17.11" in purls
    assert "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.10" in purls
    lodash = next(c for c in document["components"] if c["name"] == "lodash")
    assert lodash["licenses"] == [{"license": {"id": "MIT"}}]
    document["components"][0]["type"] = "not-a-type"  # the validator does catch a broken document
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(json.dumps(document)) is not None


def test_scan_records_sbom_and_fails_dev013_on_a_critical_advisory(
    database: Database, cal_module: str, scan_now: Callable[..., Scan]
) -> None:
    scan = scan_now(cal_module)
    with database.session() as session:
        rules = {
            r["rule"]: r
            for row in session.exec(select(StandardResult).where(StandardResult.scan_id == scan.id))
            for r in row.rules
        }
        assert rules["DEV-013"]["status"] == "not_applicable"  # no database imported yet
        vulndb.import_export(session, filename="all.zip", data=osv_export(), actor="admin")
    scan = scan_now(cal_module)
    with database.session() as session:
        rules = {
            r["rule"]: r
            for row in session.exec(select(StandardResult).where(StandardResult.scan_id == scan.id))
            for r in row.rules
        }
        evidence = session.get(ScanEvidence, scan.id)
    assert rules["DEV-013"]["status"] == "fail"
    assert rules["DEV-013"]["offenders"] == ["pyyaml@5.3.1 GHSA-8q59-q68h-6hv4 (fixed in 5.4)"]
    assert evidence is not None and evidence.inputs["vulndb_version"] == 1
    sbom = json.loads(evidence.sbom)
    assert {c["name"] for c in sbom["components"]} == {"jinja2", "requests", "urllib3", "pyyaml"}
