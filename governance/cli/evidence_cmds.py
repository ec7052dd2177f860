"""`govern evidence …`: upload test/coverage reports for a commit, list them, download a scan's SBOM."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from governance.cli.lang import _
from governance.cli.runtime import JSON_OPTION, actor, emit_json, emit_table, runtime
from governance.errors import InvalidInput, NotFound, said
from governance.evidence import attestations, upload, vulndb
from governance.evidence.models import ScanEvidence
from governance.registry.service import get_module
from governance.scans.profiles import builtin_catalogue
from governance.timeutil import utcnow

evidence_app = typer.Typer(
    help="Evidence beside the code: test results, coverage, SBOM.", no_args_is_help=True
)

ModuleOption = Annotated[str, typer.Option("--module", help="Module key, e.g. BUD.")]


def read_file(path: Path, limit: int) -> bytes:
    """The file's bytes, refusing a missing or oversized file before reading it all."""
    if not path.is_file():
        raise said(InvalidInput, "%(path)s: no such file", path=str(path))
    if path.stat().st_size > limit:
        raise said(
            InvalidInput,
            "%(path)s: %(size)s bytes is more than the limit of %(limit)s bytes",
            path=str(path.name),
            size=path.stat().st_size,
            limit=limit,
        )
    return path.read_bytes()


@evidence_app.command("upload")
def upload_cmd(
    ctx: typer.Context,
    file: Path,
    module: ModuleOption,
    commit: Annotated[str, typer.Option("--commit", help="Full id of the commit the report describes.")],
    kind: Annotated[str, typer.Option("--kind", help="junit or coverage.")],
) -> None:
    """Upload a JUnit/xUnit XML or coverage report (Cobertura, coverage.py JSON, JaCoCo)."""
    data = read_file(file, upload.MAX_UPLOAD_BYTES)
    with runtime(ctx).session() as session:
        row = upload.upload_evidence(
            session,
            module=get_module(session, module),
            commit_sha=commit,
            kind=kind,
            filename=file.name,
            data=data,
            actor=actor(),
        )
    typer.echo(
        _(
            "evidence #%(id)s: %(format)s for %(module)s @ %(commit)s: %(summary)s",
            id=row.id,
            format=row.format,
            module=module,
            commit=row.commit_sha[:12],
            summary=_summary(row.summary),
        )
    )


def _summary(summary: dict[str, object]) -> str:
    if "counts" in summary:
        counts = summary["counts"]
        assert isinstance(counts, dict)
        return ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items()))
    return _(
        "%(percent)s%% of %(lines)s lines covered",
        percent=summary.get("percent"),
        lines=summary.get("lines_valid"),
    )


@evidence_app.command("list")
def list_cmd(ctx: typer.Context, module: ModuleOption, as_json: bool = JSON_OPTION) -> None:
    """The module's uploads, newest first."""
    with runtime(ctx).session() as session:
        rows = upload.list_evidence(session, module=get_module(session, module))
        items = [
            {
                "id": r.id,
                "kind": r.kind,
                "format": r.format,
                "commit": r.commit_sha,
                "file": r.filename,
                "sha256": r.sha256,
                "summary": _summary(r.summary),
                "uploaded_by": r.uploaded_by,
                "uploaded_at": r.uploaded_at,
            }
            for r in rows
        ]
    if as_json:
        emit_json(items)
        return
    columns = ["id", "kind", "format", "commit", "file", "summary", "uploaded_by"]
    emit_table(
        _("evidence of %(module)s", module=module),
        columns,
        [[str(i[c])[:40] for c in columns] for i in items],
    )


@evidence_app.command("sbom")
def sbom_cmd(
    ctx: typer.Context,
    scan_id: Annotated[int, typer.Argument(help="Scan id.")],
    output: Annotated[
        Path | None, typer.Option("--output", help="Write to this file (default: stdout).")
    ] = None,
) -> None:
    """The scan's CycloneDX SBOM (JSON), as it was generated when the scan ran."""
    with runtime(ctx).session() as session:
        row = session.get(ScanEvidence, scan_id)
        if row is None or not row.sbom:
            raise said(NotFound, "scan #%(scan_id)s has no SBOM", scan_id=scan_id)
        text = row.sbom
    if output is None:
        typer.echo(text)
    else:
        output.write_text(text, encoding="utf-8")
        typer.echo(_("written %(file)s", file=output), err=True)


vulndb_app = typer.Typer(help="The offline vulnerability database (OSV exports).", no_args_is_help=True)


@vulndb_app.command("import")
def vulndb_import(ctx: typer.Context, file: Path) -> None:
    """Import an OSV export (zip of OSV JSON records) as the next version; any bad record imports nothing."""
    data = read_file(file, vulndb.MAX_EXPORT_BYTES)
    with runtime(ctx).session() as session:
        row = vulndb.import_export(session, filename=file.name, data=data, actor=actor())
    exported = row.exported_at.date().isoformat() if row.exported_at else "?"
    typer.echo(
        _(
            "vulnerability database v%(version)s: %(advisories)s advisories, newest of %(exported)s",
            version=row.version,
            advisories=row.advisories,
            exported=exported,
        )
    )


@vulndb_app.command("list")
def vulndb_list(ctx: typer.Context, as_json: bool = JSON_OPTION) -> None:
    """Imported versions, newest first (scans match against the newest)."""
    with runtime(ctx).session() as session:
        items = [
            {
                "version": r.version,
                "file": r.filename,
                "sha256": r.sha256,
                "advisories": r.advisories,
                "exported_at": r.exported_at,
                "imported_at": r.imported_at,
                "imported_by": r.imported_by,
            }
            for r in vulndb.versions(session)
        ]
    if as_json:
        emit_json(items)
        return
    columns = ["version", "file", "advisories", "exported_at", "imported_by"]
    emit_table(_("vulnerability database"), columns, [[str(i[c]) for c in columns] for i in items])


attest_app = typer.Typer(
    help="Attested checks: evidence for rules no scanner can check.", no_args_is_help=True
)


@attest_app.command("submit")
def attest_submit(
    ctx: typer.Context,
    file: Path,
    module: ModuleOption,
    rule: Annotated[str, typer.Option("--rule", help="Attested rule id, e.g. OPS-010.")],
    statement: Annotated[str, typer.Option("--statement", help="What the evidence shows, in a sentence.")],
) -> None:
    """Submit evidence (a file and a statement) for an attested rule of a module."""
    data = read_file(file, attestations.MAX_EVIDENCE_BYTES)
    with runtime(ctx).session() as session:
        row = attestations.submit(
            session,
            module=get_module(session, module),
            rule_id=rule,
            statement=statement,
            filename=file.name,
            data=data,
            actor=actor(),
            catalogue=builtin_catalogue(),
        )
    typer.echo(
        _(
            "attestation #%(id)s for %(rule)s of %(module)s: pending approval",
            id=row.id,
            rule=row.rule_id,
            module=module,
        )
    )


def _decide(ctx: typer.Context, ident: int, approve: bool, expires: datetime | None, note: str) -> None:
    with runtime(ctx).session() as session:
        row = attestations.decide(
            session,
            attestation_id=ident,
            approve=approve,
            expires_at=expires.replace(tzinfo=UTC) if expires else None,
            note=note,
            actor=actor(),
            now=utcnow(),
            catalogue=builtin_catalogue(),
        )
    until = _(" until %(date)s", date=f"{row.expires_at:%Y-%m-%d}") if row.expires_at else ""
    typer.echo(
        _(
            "attestation #%(id)s for %(rule)s: %(state)s%(until)s",
            id=row.id,
            rule=row.rule_id,
            state=row.state,
            until=until,
        )
    )


@attest_app.command("approve")
def attest_approve(
    ctx: typer.Context,
    attestation_id: int,
    expires: Annotated[datetime, typer.Option("--expires", formats=["%Y-%m-%d"], help="Expiry date (UTC).")],
    note: Annotated[str, typer.Option("--note")] = "",
) -> None:
    """Approve a pending attestation until ``--expires`` (within the rule's validity)."""
    _decide(ctx, attestation_id, True, expires, note)


@attest_app.command("reject")
def attest_reject(
    ctx: typer.Context, attestation_id: int, note: Annotated[str, typer.Option("--note", help="Why.")]
) -> None:
    """Reject a pending attestation, saying why."""
    _decide(ctx, attestation_id, False, None, note)


@attest_app.command("list")
def attest_list(ctx: typer.Context, module: ModuleOption, as_json: bool = JSON_OPTION) -> None:
    """The module's attestations with their state today."""
    now = utcnow()
    with runtime(ctx).session() as session:
        items = [
            {
                "id": r.id,
                "rule": r.rule_id,
                "state": attestations.state_on(r, now),
                "statement": r.statement,
                "file": r.filename,
                "sha256": r.sha256,
                "submitted_by": r.submitted_by,
                "decided_by": r.decided_by,
                "expires_at": r.expires_at,
            }
            for r in attestations.of_module(session, module_id=get_module(session, module).id or 0)
        ]
    if as_json:
        emit_json(items)
        return
    columns = ["id", "rule", "state", "file", "submitted_by", "decided_by", "expires_at"]
    emit_table(
        _("attestations of %(module)s", module=module), columns, [[str(i[c]) for c in columns] for i in items]
    )
