"""``govern vulndb import``: an organisation's offline OSV export, validated whole and versioned.

Closed networks cannot query osv.dev, so the organisation imports an export (a zip of OSV
JSON records, as osv.dev publishes per ecosystem). Every record is validated before
anything is stored; one bad record refuses the whole file with every problem listed. Each
import is a new numbered version with its sha256 and the date of its newest record; scans
match against the newest version and record which one they used.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pydantic import ValidationError
from sqlmodel import Session, col, func, select

from governance import audit
from governance.errors import InvalidInput, Problem, RejectedFile, said
from governance.evidence.manifests import Component
from governance.evidence.models import Advisory, VulnDatabase
from governance.evidence.osv import (
    ECOSYSTEMS,
    OsvRecord,
    affects,
    fixed_versions,
    package_key,
    severity_of,
)
from governance.invalid_input import problem
from scanners.wording import Wording, worded
from standards.facts import VulnerableComponent

MAX_EXPORT_BYTES = 512 * 1024 * 1024  # osv.dev's PyPI + npm + Maven exports together are ~300 MiB
MAX_RECORD_BYTES = 2 * 1024 * 1024


def _records(data: bytes, filename: str) -> tuple[list[OsvRecord], list[Problem]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise said(
            InvalidInput, "%(filename)s: not a zip archive of OSV JSON records", filename=filename
        ) from None
    records, problems = [], []
    for info in archive.infolist():
        if info.is_dir() or not info.filename.endswith(".json"):
            continue
        if info.file_size > MAX_RECORD_BYTES:
            too_large = worded(
                "%(member)s: %(size)s bytes is too large for one record",
                member=info.filename,
                size=info.file_size,
            )
            problems.append(Problem(too_large))
            continue
        try:
            records.append(OsvRecord.model_validate(json.loads(archive.read(info))))
        except ValueError as exc:  # JSON and pydantic errors alike
            problems.append(
                Problem(worded("%(member)s: %(reason)s", member=info.filename, reason=_reason(exc)))
            )
    return records, problems


def _reason(exc: ValueError) -> Wording:
    """Why a record was refused: pydantic's own words as written, or "not JSON" translated."""
    if isinstance(exc, ValidationError):
        return problem(exc.errors()[0])
    return worded("not JSON (%(error)s)", error=str(exc))


def _advisories(record: OsvRecord) -> Iterable[Advisory]:
    severity = severity_of(record)
    for entry in record.affected:
        if entry.package.ecosystem not in ECOSYSTEMS:
            continue
        yield Advisory(
            database_id=0,
            advisory_id=record.id,
            ecosystem=entry.package.ecosystem,
            package=package_key(entry.package.ecosystem, entry.package.name),
            severity=severity,
            summary=record.summary[:500],
            aliases=list(record.aliases),
            affected=entry.model_dump(mode="json", include={"ranges", "versions"}),
        )


def import_export(session: Session, *, filename: str, data: bytes, actor: str) -> VulnDatabase:
    """Validate and store one export as the next version (committed with its audit event)."""
    if len(data) > MAX_EXPORT_BYTES:
        raise said(
            InvalidInput,
            "%(filename)s: more than the limit of %(max_export_bytes)s bytes",
            filename=filename,
            max_export_bytes=MAX_EXPORT_BYTES,
        )
    records, problems = _records(data, filename)
    if problems:
        raise RejectedFile(filename, problems)
    live = [r for r in records if r.withdrawn is None]
    advisories = [a for r in live for a in _advisories(r)]
    if not advisories:
        raise said(
            InvalidInput,
            "%(filename)s: no advisory for %(ecosystems)s in the export",
            filename=filename,
            ecosystems=", ".join(ECOSYSTEMS),
        )
    version = (session.exec(select(func.max(VulnDatabase.version))).one() or 0) + 1
    database = VulnDatabase(
        version=version,
        filename=filename[-255:],
        sha256=hashlib.sha256(data).hexdigest(),
        advisories=len({r.id for r in live}),
        exported_at=max(r.modified for r in live),
        imported_by=actor,
    )
    session.add(database)
    session.flush()
    for advisory in advisories:
        advisory.database_id = database.id or 0
    session.add_all(advisories)
    audit.record(
        session,
        actor=actor,
        action="vulndb.import",
        target_type="vuln_database",
        target_id=version,
        data={"sha256": database.sha256, "advisories": database.advisories, "file": database.filename},
    )
    session.commit()
    session.refresh(database)
    return database


def current(session: Session) -> VulnDatabase | None:
    """The newest imported version (``None``: nothing imported, vulnerability rules not applicable)."""
    return session.exec(select(VulnDatabase).order_by(col(VulnDatabase.version).desc()).limit(1)).first()


def versions(session: Session) -> list[VulnDatabase]:
    return list(session.exec(select(VulnDatabase).order_by(col(VulnDatabase.version).desc())).all())


@dataclass(frozen=True)
class Matches:
    database: VulnDatabase | None
    found: tuple[VulnerableComponent, ...] | None


def match(session: Session, *, components: Sequence[Component]) -> Matches:
    """Components with an exact version that an advisory of the newest database affects."""
    database = current(session)
    if database is None:
        return Matches(None, None)
    found: set[VulnerableComponent] = set()
    for item in components:
        if not item.version:
            continue
        rows = session.exec(
            select(Advisory).where(
                Advisory.database_id == database.id,
                Advisory.ecosystem == item.ecosystem,
                Advisory.package == package_key(item.ecosystem, item.name),
            )
        ).all()
        for row in rows:
            if affects(item.ecosystem, item.version, row.affected):
                fixed = fixed_versions(row.affected)
                found.add(
                    VulnerableComponent(
                        component=item.name,
                        version=item.version,
                        advisory=row.advisory_id,
                        severity=row.severity,  # type: ignore[arg-type]
                        fixed=", ".join(fixed) or None,
                        source=item.source,
                    )
                )
    return Matches(database, tuple(sorted(found, key=lambda v: (v.component, v.advisory))))
