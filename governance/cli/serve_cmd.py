"""`govern serve`: run the portal (JSON API, pages and git smart HTTP) with uvicorn.

In the embedded setup the same process also runs the scheduler (schedules, scans queued
by vendor pushes) in a background thread, so one command gives a working Govern; with
separate `govern scheduler` processes, pass ``--no-scheduler``. ``--workers N`` serves from N
processes (:mod:`governance.cli.serve_workers`), the scheduler staying in this one.
"""

from __future__ import annotations

import threading
from typing import Annotated

import typer

from governance.cli.listening import Listen
from governance.cli.runtime import Runtime, runtime
from governance.cli.scan_cmds import build_scheduler
from governance.config import Settings
from governance.scheduling.loop import Scheduler


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


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
    scheduler: Annotated[bool, typer.Option(help="Also run the scheduler in this process.")] = True,
    interval: Annotated[float, typer.Option(min=1.0, help="Scheduler pass interval, seconds.")] = 30.0,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="Portal processes on the port (one per core serves most).")
    ] = 1,
    access_log: Annotated[
        bool, typer.Option(help="Log each request (off when the TLS proxy in front keeps the access log).")
    ] = True,
) -> None:
    """Serve the portal; the app is built here, never at import time."""
    rt = runtime(ctx)
    started = _start_scheduler(rt, interval) if scheduler else None
    try:
        if workers == 1:
            _serve_here(rt.settings, Listen(host, port, access_log), started[0] if started else None)
        else:
            _serve_processes(
                rt.settings, Listen(host, port, access_log), workers, started[0] if started else None
            )
    finally:
        if started is not None:
            _stop_scheduler(*started)


def _serve_here(settings: Settings, listen: Listen, loop: Scheduler | None) -> None:
    import uvicorn

    from portal.app import create_app

    app = create_app(settings, scheduler=loop)
    uvicorn.Server(listen.config(app, settings)).run()


def _serve_processes(settings: Settings, listen: Listen, workers: int, loop: Scheduler | None) -> None:
    from governance.cli.serve_workers import PortalProcesses, on_stop_signals
    from governance.scheduling.shared_health import SharedHealth, spawn_context

    health = SharedHealth(spawn_context()) if loop is not None else None
    processes = PortalProcesses(settings, listen, workers, health)
    restore = on_stop_signals(processes.stop)
    try:
        processes.run(loop)
    finally:
        restore()
