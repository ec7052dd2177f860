"""`govern snapshot create|verify|key`: signed review snapshots for audits, verified offline."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from sqlmodel import Session, select

from governance import access
from governance.cli.lang import _
from governance.cli.runtime import actor, runtime
from governance.errors import InvalidInput, said
from governance.registry.models import Module, User
from governance.registry.service import get_module, get_user
from governance.snapshots.bundle import create_snapshot, verify_snapshot
from governance.snapshots.signing import key_fingerprint, pinned_raw, private_key, public_pem, public_raw
from governance.timeutil import utcnow

snapshot_app = typer.Typer(help="Signed review snapshots for audits.", no_args_is_help=True)


def _scope(
    session: Session, key: str | None, every: bool, who: str | None
) -> tuple[list[Module], User | None]:
    if bool(key) == every:
        raise said(InvalidInput, "say which modules: --module KEY or --all")
    name = who or os.environ.get("GOVERN_USER")
    user = get_user(session, name) if name else None
    if key:
        module = access.readable_module(session, user, key) if user else get_module(session, key)
        return [module], user
    modules = access.visible_modules(session, user) if user else list(session.exec(select(Module)).all())
    return modules, user


@snapshot_app.command("create")
def create_cmd(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("--output", help="Write the snapshot to this file.")],
    module: Annotated[str | None, typer.Option("--module", help="One module's key.")] = None,
    every: Annotated[
        bool, typer.Option("--all", help="Every module (the reader's own, for a vendor).")
    ] = False,
    audit_seq: Annotated[
        int | None,
        typer.Option("--audit-seq", min=1, help="Freeze at this audit event (rebuild an earlier snapshot)."),
    ] = None,
    who: Annotated[
        str | None, typer.Option("--as", help="Act as this registered user [env GOVERN_USER].")
    ] = None,
) -> None:
    """Write a frozen, signed bundle (scans, profile, tool versions, results, gate, waivers, matrix)."""
    rt = runtime(ctx)
    with rt.session() as session:
        modules, user = _scope(session, module, every, who)
        data = create_snapshot(
            session,
            settings=rt.settings,
            user=user,
            modules=modules,
            actor=user.name if user else actor(),
            created_at=utcnow(),
            audit_seq=audit_seq,
        )
    output.write_bytes(data)
    raw = public_raw(private_key(rt.settings))
    typer.echo(
        _(
            "snapshot of %(count)s module(s) written to %(file)s, signed by %(key)s",
            count=len(modules),
            file=output,
            key=key_fingerprint(raw),
        )
    )


@snapshot_app.command("verify")
def verify_cmd(
    file: Path,
    public_key: Annotated[
        str | None,
        typer.Option("--public-key", help="The expected key: 'sha256:…' fingerprint or a PEM file."),
    ] = None,
) -> None:
    """Check a snapshot offline: exit 0 intact, 1 tampered (or signed by another key than the pinned one)."""
    if not file.is_file():
        raise said(InvalidInput, "%(file)s: no such file", file=str(file))
    verdict = verify_snapshot(file.read_bytes(), pinned=pinned_raw(public_key) if public_key else None)
    if not verdict.ok:
        typer.echo(_("snapshot TAMPERED: %(problem)s", problem=verdict.problem), err=True)
        raise typer.Exit(1)
    typer.echo(_("snapshot intact, signed by %(key)s", key=verdict.key))


@snapshot_app.command("key")
def key_cmd(ctx: typer.Context) -> None:
    """Print the signing key's public half (PEM) and fingerprint: give them to the auditors."""
    raw = public_raw(private_key(runtime(ctx).settings))
    typer.echo(public_pem(raw) + key_fingerprint(raw))
