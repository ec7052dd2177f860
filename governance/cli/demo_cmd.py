"""`govern demo`: build the demo world in the data directory."""

from __future__ import annotations

from typing import Annotated

import typer

from governance.cli.runtime import runtime
from governance.demo.world import build_world
from governance.mirrors.delivery import repository_url

DEFAULT_BASE_URL = "http://127.0.0.1:8000"  # where `govern serve` listens by default


def demo(
    ctx: typer.Context,
    reset: Annotated[bool, typer.Option("--reset", help="Delete the embedded data and rebuild.")] = False,
) -> None:
    """Build a realistic demo world: vendors, modules with git histories, requirements, users."""
    rt = runtime(ctx)
    summary = build_world(rt.settings, reset=reset)
    if not summary.created:
        typer.echo(
            f"The demo world already exists in {rt.settings.data_dir}; nothing changed "
            "(use --reset to rebuild it). Its push tokens were printed when it was created; "
            "make a new one under My account in the portal or with `govern token create USER`."
        )
        return
    typer.echo(f"Demo world created in {rt.settings.data_dir}:")
    typer.echo(f"  vendors:      {', '.join(summary.vendors)}")
    typer.echo(
        f"  modules:      {', '.join(summary.modules)} (vendor repositories in {summary.repositories})"
    )
    typer.echo(f"  requirements: {summary.requirements}")
    typer.echo("  scans:")
    for key, score, level, gate in summary.scans:
        typer.echo(f"    {key}: score {score}, level {level}, gate {'passed' if gate else 'FAILED'}")
    for line in summary.story:
        typer.echo(f"  {line}")
    typer.echo("  logins (user / password, role):")
    for user, role, password in summary.logins:
        typer.echo(f"    {user} / {password} ({role})")
    base = rt.settings.base_url or DEFAULT_BASE_URL
    typer.echo(f"  pushing (after `govern serve`; any user name, the token as password; base URL {base}):")
    for access in summary.pushing:
        url = repository_url(base, access.module)
        typer.echo(f"    {access.vendor}: module {access.module}, user {access.user}, token {access.token}")
        typer.echo(f"      git remote add govern {url}")
        typer.echo(f"      git push govern {access.branch}")
