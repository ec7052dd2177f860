"""`govern serve`: run the portal (JSON API, pages and git smart HTTP) with uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer

from governance.cli.runtime import runtime


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
) -> None:
    """Serve the portal; the app is built here, never at import time."""
    import uvicorn  # imported here: every other command (and each git hook) starts faster without it

    from portal.app import create_app

    settings = runtime(ctx).settings
    uvicorn.run(create_app(settings), host=host, port=port, log_level=settings.log_level.lower())
