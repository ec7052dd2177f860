"""`govern requirements …`: thin wrappers over the requirements services.

Each command parses, calls one service and presents; checks live in the services so the
portal applies the same rules.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from governance.cli.lang import _
from governance.cli.runtime import (
    JSON_OPTION,
    actor,
    counts_text,
    emit_fields,
    emit_json,
    emit_table,
    runtime,
)
from governance.errors import InvalidInput, said
from governance.registry.service import get_module
from governance.requirements import gitfiles, links, matrix, matrix_io, service, spreadsheets
from governance.requirements.workflow import move_requirement, status_from_text

requirements_app = typer.Typer(
    help="Requirements: import/export, workflow, traceability.", no_args_is_help=True
)
links_app = typer.Typer(help="Traceability links.", no_args_is_help=True)
requirements_app.add_typer(links_app, name="links")

ModuleOption = Annotated[str, typer.Option("--module", help="Module key, e.g. BUD.")]
OutputOption = Annotated[Path | None, typer.Option("--output", help="Write to this file (default: stdout).")]


def _write(data: bytes, output: Path | None, fmt: str) -> None:
    if output is not None:
        output.write_bytes(data)
        typer.echo(_("written %(file)s", file=output), err=True)
    elif fmt == "xlsx":
        raise said(InvalidInput, "xlsx output is binary: give --output FILE")
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


#: What an import counts (its summary's keys), and what a links refresh finds.
IMPORT_COUNTS = ["created", "updated", "moved", "unchanged"]
LINK_COUNTS = ["code", "test", "commit", "unknown"]


@requirements_app.command("import")
def import_cmd(ctx: typer.Context, file: Path, module: ModuleOption) -> None:
    """Import a CSV/XLSX file (Chinese or English headers); any bad row imports nothing."""
    with runtime(ctx).session() as session:
        result = spreadsheets.import_requirements(
            session, module=get_module(session, module), path=file, actor=actor()
        )
    counted = counts_text(result.summary(), IMPORT_COUNTS, count_first=True)
    typer.echo(_("%(label)s: %(value)s", label=file.name, value=counted))


@requirements_app.command("export")
def export_cmd(
    ctx: typer.Context,
    module: ModuleOption,
    fmt: Annotated[str, typer.Option("--format", help="csv or xlsx.")] = "csv",
    lang: Annotated[str, typer.Option("--lang", help="Header language: en or zh.")] = "en",
    output: OutputOption = None,
) -> None:
    """Export a module's requirements; importing the file again changes nothing."""
    with runtime(ctx).session() as session:
        found = get_module(session, module)
        data = spreadsheets.export_requirements(session, module=found, fmt=fmt, lang=lang)
    _write(data, output, fmt)


@requirements_app.command("list")
def list_cmd(
    ctx: typer.Context,
    module: ModuleOption,
    status: Annotated[str | None, typer.Option(help="Only this status (English or Chinese).")] = None,
    as_json: bool = JSON_OPTION,
) -> None:
    """List a module's requirements."""
    wanted = status_from_text(status) if status else None
    with runtime(ctx).session() as session:
        rows = service.list_requirements(session, module=get_module(session, module), status=wanted)
    records = [
        {
            "key": r.key,
            "title": r.title,
            "status": r.status.value,
            "priority": r.priority,
            "owner": r.owner,
            "parent": r.parent_key,
        }
        for r in rows
    ]
    if as_json:
        emit_json(records)
    else:
        emit_table(
            _("Requirements of %(module)s", module=module),
            ["key", "title", "status", "priority", "owner", "parent"],
            [list(r.values()) for r in records],
        )


#: The one-value fields `show` prints, labelled (the keys of ``--json``; the lists follow as tables).
SHOWN_FIELDS = [
    "key",
    "module",
    "title",
    "status",
    "parent",
    "priority",
    "owner",
    "description",
    "acceptance_criteria",
]


@requirements_app.command("show")
def show_cmd(ctx: typer.Context, key: str, as_json: bool = JSON_OPTION) -> None:
    """Show one requirement with its history and traces."""
    with runtime(ctx).session() as session:
        detail = service.requirement_detail(session, key=key)
    record = detail.as_dict()
    if as_json:
        emit_json(record)
        return
    emit_fields(record, SHOWN_FIELDS)
    typer.echo(_("children: %(keys)s", keys=", ".join(detail.children)))
    history = [list(h.values()) for h in record["history"]]  # type: ignore[attr-defined]
    emit_table(_("History"), ["at", "from", "to", "actor", "reason"], history)
    emit_table(_("Links"), ["kind", "target", "detail"], [list(x.values()) for x in record["links"]])  # type: ignore[attr-defined]


@requirements_app.command("move")
def move_cmd(
    ctx: typer.Context,
    key: str,
    status: str,
    reason: Annotated[str, typer.Option("--reason", help="Why (recorded in history and audit trail).")],
) -> None:
    """Move a requirement along the workflow."""
    with runtime(ctx).session() as session:
        moved = move_requirement(session, key=key, to_status=status, reason=reason, actor=actor())
    typer.echo(_("%(key)s is now %(status)s", key=moved.key, status=moved.status.value))


@requirements_app.command("parent")
def parent_cmd(
    ctx: typer.Context,
    key: str,
    parent: Annotated[str | None, typer.Argument(help="Parent key (same module); omit to clear.")] = None,
) -> None:
    """Place a requirement under another of its module, or at the top."""
    with runtime(ctx).session() as session:
        placed = service.set_parent(session, key=key, parent_key=parent, actor=actor())
    typer.echo(
        _("%(key)s is now under %(parent)s", key=placed.key, parent=placed.parent_key)
        if placed.parent_key
        else _("%(key)s has no parent", key=placed.key)
    )


@requirements_app.command("matrix")
def matrix_cmd(
    ctx: typer.Context,
    module: ModuleOption,
    fmt: Annotated[str, typer.Option("--format", help="csv, xlsx or json.")] = "json",
    output: OutputOption = None,
) -> None:
    """The traceability matrix: requirement → commits → files → tests → scan status, with coverage."""
    if fmt not in matrix_io.MATRIX_FORMATS:
        raise said(
            InvalidInput,
            "unknown format %(fmt)s: use %(matrix_formats)s",
            fmt=repr(fmt),
            matrix_formats=", ".join(matrix_io.MATRIX_FORMATS),
        )
    with runtime(ctx).session() as session:
        built = matrix.build_matrix(session, module=get_module(session, module))
    _write(matrix_io.render_matrix(built, fmt), output, fmt)


@links_app.command("refresh")
def links_refresh_cmd(ctx: typer.Context, module: ModuleOption) -> None:
    """Re-find a module's links from its mirror (or local remote) and its ingested commits."""
    rt = runtime(ctx)
    with rt.session() as session:
        found = get_module(session, module)
        source = gitfiles.open_source(gitfiles.module_repository(rt.settings, found), found.default_branch)
        result = links.refresh_links(
            session, module=found, files=gitfiles.read_files(source), commit_sha=source.sha, actor=actor()
        )
    counted = counts_text(result.summary(), LINK_COUNTS, count_first=True)
    typer.echo(_("%(module)s at %(sha)s: %(counts)s", module=module, sha=source.sha[:12], counts=counted))
    for unknown in result.unknown:
        where = (
            f"{unknown.path}:{unknown.line}" if unknown.path else _("commit %(sha)s", sha=unknown.commit_sha)
        )
        typer.echo(_("  unknown reference %(key)s at %(where)s", key=unknown.key, where=where))
