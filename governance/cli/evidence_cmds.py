"""`govern evidence …`: upload test/coverage reports for a commit, list them, download a scan's SBOM."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from governance.cli.runtime import JSON_OPTION, actor, emit_json, emit_table, runtime
from governance.errors import InvalidInput, NotFound
from governance.evidence import upload, vulndb
from governance.evidence.models import ScanEvidence
from governance.registry.service import get_module

evidence_app = typer.Typer(
    help="Evidence beside the code: test results, coverage, SBOM.", no_args_is_help=True
)

ModuleOption = Annotated[str, typer.Option("--module", help="Module key, e.g. BUD.")]


def read_file(path: Path, limit: int) -> bytes:
    """The file's bytes, refusing a missing or oversized file before reading it all."""
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file")
    if path.stat().st_size > limit:
        raise InvalidInput(
            f"{path.name}: {path.stat().st_size} bytes is more than the limit of {limit} bytes"
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
        f"evidence #{row.id}: {row.format} for {module} @ {row.commit_sha[:12]}: {_summary(row.summary)}"
    )


def _summary(summary: dict[str, object]) -> str:
    if "counts" in summary:
        counts = summary["counts"]
        assert isinstance(counts, dict)
        return ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items()))
    return f"{summary.get('percent')}% of {summary.get('lines_valid')} lines covered"


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
    emit_table(f"evidence of {module}", columns, [[str(i[c])[:40] for c in columns] for i in items])


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
            raise NotFound(f"scan #{scan_id} has no SBOM")
        text = row.sbom
    if output is None:
        typer.echo(text)
    else:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"written {output}", err=True)


vulndb_app = typer.Typer(help="The offline vulnerability database (OSV exports).", no_args_is_help=True)


@vulndb_app.command("import")
def vulndb_import(ctx: typer.Context, file: Path) -> None:
    """Import an OSV export (zip of OSV JSON records) as the next version; any bad record imports nothing."""
    data = read_file(file, vulndb.MAX_EXPORT_BYTES)
    with runtime(ctx).session() as session:
        row = vulndb.import_export(session, filename=file.name, data=data, actor=actor())
    exported = row.exported_at.date().isoformat() if row.exported_at else "?"
    typer.echo(f"vulnerability database v{row.version}: {row.advisories} advisories, newest of {exported}")


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
    emit_table("vulnerability database", columns, [[str(i[c]) for c in columns] for i in items])
