"""`govern serve`: run the portal (JSON API, pages and git smart HTTP) with uvicorn.

In the embedded setup the same process also runs the scheduler (schedules, scans queued
by vendor pushes) in a background thread, so one command gives a working Govern; with
separate `govern scheduler` processes, pass ``--no-scheduler``.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Annotated, Any

import typer

from governance.cli.runtime import Runtime, runtime
from governance.cli.scan_cmds import build_scheduler
from governance.config import Settings
from governance.scheduling.loop import Scheduler

if TYPE_CHECKING:
    import uvicorn


def _start_scheduler(rt: Runtime, interval: float) -> tuple[Scheduler, threading.Thread]:
    loop = build_scheduler(rt, interval)
    thread = threading.Thread(target=loop.forever, name="govern-scheduler", daemon=True)
    thread.start()
    return loop, thread


def _stop_scheduler(loop: Scheduler, thread: threading.Thread) -> None:
    """Ask the loop to stop and wait for the scan in flight to end (uvicorn has stopped serving).

    The scan's pool workers watch this process, so they end with it even if it is killed.
    """
    loop.stop.set()
    thread.join()


def server_config(app: Any, settings: Settings, host: str, port: int) -> uvicorn.Config:
    """uvicorn's settings; its own proxy-header handling is off (it trusts 127.0.0.1 by default).

    The portal reads ``X-Forwarded-For`` itself, only from ``GOVERN_TRUSTED_PROXIES``.
    """
    import uvicorn  # imported here: every other command (and each git hook) starts faster without it

    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level=settings.log_level.lower(),
        proxy_headers=False,
        server_header=False,
    )


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
    scheduler: Annotated[bool, typer.Option(help="Also run the scheduler in this process.")] = True,
    interval: Annotated[float, typer.Option(min=1.0, help="Scheduler pass interval, seconds.")] = 30.0,
) -> None:
    """Serve the portal; the app is built here, never at import time."""
    from portal.app import create_app

    rt = runtime(ctx)
    started = _start_scheduler(rt, interval) if scheduler else None
    app = create_app(rt.settings, scheduler=started[0] if started else None)
    try:
        import uvicorn

        uvicorn.Server(server_config(app, rt.settings, host, port)).run()
    finally:
        if started is not None:
            _stop_scheduler(*started)
