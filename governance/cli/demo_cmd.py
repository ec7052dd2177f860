"""`govern demo`: build the demo world in the data directory."""

from __future__ import annotations

from typing import Annotated

import typer

from governance.cli.lang import _
from governance.cli.runtime import runtime
from governance.mirrors.delivery import repository_url

DEFAULT_BASE_URL = "http://127.0.0.1:8000"  # where `govern serve` listens by default


def demo(
    ctx: typer.Context,
    reset: Annotated[bool, typer.Option("--reset", help="Delete the embedded data and rebuild.")] = False,
) -> None:
    """Build a realistic demo world: vendors, modules with git histories, requirements, users."""
    # the demo world (its histories, files and scan path) is read only by this command
    from governance.demo.world import build_world

    rt = runtime(ctx)
    summary = build_world(rt.settings, reset=reset)
    if not summary.created:
        typer.echo(
            _(
                "The demo world already exists in %(directory)s; nothing changed "
                "(use --reset to rebuild it). Its push tokens were printed when it was created; "
                "make a new one under My account in the portal or with `govern token create USER`.",
                directory=rt.settings.data_dir,
            )
        )
        return
    typer.echo(_("Demo world created in %(directory)s:", directory=rt.settings.data_dir))
    typer.echo(_("  vendors:      %(vendors)s", vendors=", ".join(summary.vendors)))
    typer.echo(
        _(
            "  modules:      %(modules)s (vendor repositories in %(directory)s)",
            modules=", ".join(summary.modules),
            directory=summary.repositories,
        )
    )
    typer.echo(_("  requirements: %(count)s", count=summary.requirements))
    typer.echo(_("  scans:"))
    for key, score, level, gate in summary.scans:
        verdict = _("passed") if gate else _("FAILED")
        typer.echo(
            _(
                "    %(module)s: score %(score)s, level %(level)s, gate %(verdict)s",
                module=key,
                score=score,
                level=level,
                verdict=verdict,
            )
        )
    for line in summary.story:
        typer.echo(f"  {line}")
    typer.echo(_("  logins (user / password, role):"))
    for user, role, password in summary.logins:
        typer.echo(f"    {user} / {password} ({role})")
    base = rt.settings.base_url or DEFAULT_BASE_URL
    typer.echo(
        _(
            "  pushing (after `govern serve`; any user name, the token as password; base URL %(base)s):",
            base=base,
        )
    )
    for access in summary.pushing:
        url = repository_url(base, access.module)
        typer.echo(
            _(
                "    %(vendor)s: module %(module)s, user %(user)s, token %(token)s",
                vendor=access.vendor,
                module=access.module,
                user=access.user,
                token=access.token,
            )
        )
        typer.echo(f"      git remote add govern {url}")
        typer.echo(f"      git push govern {access.branch}")
