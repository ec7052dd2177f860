"""Tables of uploaded evidence, the imported vulnerability database, attestations, scan evidence."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from governance.modeltypes import created_at, json_column, optional_time


class EvidenceFile(SQLModel, table=True):
    """A test or coverage report uploaded for one commit of a module (kept byte for byte)."""

    __tablename__ = "evidence_file"
    __table_args__ = (sa.Index("ix_evidence_file_module_commit", "module_id", "commit_sha"),)

    id: int | None = Field(default=None, primary_key=True)
    module_id: int = Field(foreign_key="module.id")
    commit_sha: str = Field(max_length=40)
    kind: str = Field(max_length=20)  # junit | coverage
    format: str = Field(max_length=20)  # junit | cobertura | coverage.py | jacoco
    filename: str = Field(max_length=255)
    sha256: str = Field(max_length=64)
    size: int
    content: bytes = Field(sa_type=sa.LargeBinary)
    summary: dict[str, Any] = json_column()
    uploaded_by: str = Field(max_length=200)
    uploaded_at: datetime = created_at()


class VulnDatabase(SQLModel, table=True):
    """One imported OSV export: a numbered version, its digest and the date of its newest advisory."""

    __tablename__ = "vuln_database"

    id: int | None = Field(default=None, primary_key=True)
    version: int = Field(unique=True)
    filename: str = Field(max_length=255)
    sha256: str = Field(max_length=64)
    advisories: int
    exported_at: datetime | None = optional_time()
    imported_by: str = Field(max_length=200)
    imported_at: datetime = created_at()


class Advisory(SQLModel, table=True):
    """One (advisory, affected package) pair of an imported database, ready for matching."""

    __tablename__ = "vuln_advisory"
    __table_args__ = (sa.Index("ix_vuln_advisory_lookup", "database_id", "ecosystem", "package"),)

    id: int | None = Field(default=None, primary_key=True)
    database_id: int = Field(foreign_key="vuln_database.id")
    advisory_id: str = Field(max_length=100)
    ecosystem: str = Field(max_length=40)
    package: str = Field(max_length=200)
    severity: str = Field(max_length=20)
    summary: str = Field(default="", max_length=500)
    aliases: list[str] = json_column([])
    affected: dict[str, Any] = json_column()  # {"ranges": [...], "versions": [...]}


class Attestation(SQLModel, table=True):
    """Evidence a vendor submits for an attested rule, and the approver's decision and expiry."""

    __tablename__ = "attestation"
    __table_args__ = (sa.Index("ix_attestation_module_rule", "module_id", "rule_id"),)

    id: int | None = Field(default=None, primary_key=True)
    module_id: int = Field(foreign_key="module.id")
    rule_id: str = Field(max_length=20)
    statement: str = Field(sa_type=sa.Text)
    filename: str = Field(max_length=255)
    sha256: str = Field(max_length=64)
    content: bytes = Field(sa_type=sa.LargeBinary)
    state: str = Field(default="pending", max_length=20)  # pending | approved | rejected
    submitted_by: str = Field(max_length=200)
    submitted_at: datetime = created_at()
    decided_by: str | None = Field(default=None, max_length=200)
    decided_at: datetime | None = optional_time()
    decision_note: str = Field(default="", sa_type=sa.Text)
    expires_at: datetime | None = optional_time()
    expiry_notified_at: datetime | None = optional_time()


class ScanEvidence(SQLModel, table=True):
    """What evidence a scan was judged with: its SBOM, tool versions and the inputs it used."""

    __tablename__ = "scan_evidence"

    scan_id: int = Field(foreign_key="scan.id", primary_key=True)
    sbom: str = Field(default="", sa_type=sa.Text)
    tool_versions: dict[str, Any] = json_column()
    inputs: dict[str, Any] = json_column()



class SarifImport(SQLModel, table=True):
    """A SARIF file of a vendor's own tools for one commit (kept byte for byte), and its results.

    ``results`` are the file's results placed in the commit's tree (``path`` a file of the
    commit, ``""`` for the whole project); a scan of the commit turns them into findings.
    """

    __tablename__ = "sarif_import"
    __table_args__ = (sa.Index("ix_sarif_import_module_commit", "module_id", "commit_sha"),)

    id: int | None = Field(default=None, primary_key=True)
    module_id: int = Field(foreign_key="module.id")
    commit_sha: str = Field(max_length=40)
    tools: list[str] = json_column([])
    filename: str = Field(max_length=255)
    sha256: str = Field(max_length=64)
    size: int
    content: bytes = Field(sa_type=sa.LargeBinary)
    results: list[dict[str, Any]] = json_column([])
    uploaded_by: str = Field(max_length=200)
    uploaded_at: datetime = created_at()
