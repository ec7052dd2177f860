"""``govern serve --workers N``: N portal processes on one port, the scheduler beside them.

Each portal process listens on its own socket bound with ``SO_REUSEPORT``, so the kernel
spreads new connections over the processes. With one shared socket (uvicorn's and
gunicorn's workers) the process that wakes first accepts a whole burst: measured under 50
keep-alive clients (`benchmarks/bench_portal.py`), one of two workers took every connection
and a second core bought nothing (170 against 175 requests a second with one worker).

The supervising process runs the scheduler (one per deployment is enough, and scans it runs
use the machine's cores through the executor), publishes its health to the portal processes
(:class:`~governance.scheduling.shared_health.SharedHealth`), restarts a portal process that
dies, and on SIGTERM or SIGINT stops them all before the scheduler. A portal process watches
a pipe from the supervisor and ends when it closes, so none outlives a killed supervisor.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from types import FrameType

from governance.cli.listening import Listen
from governance.config import Settings
from governance.errors import InvalidInput, said
from governance.scheduling.loop import Scheduler
from governance.scheduling.shared_health import SharedHealth, spawn_context

log = logging.getLogger(__name__)
PUBLISH_EVERY = 1.0  # seconds: how stale a portal process's view of the scheduler may be
STOP_GRACE = 30.0  # seconds a portal process gets to finish its requests on shutdown


def reuse_port_socket(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` that other processes may bind too (``SO_REUSEPORT``)."""
    if not hasattr(socket, "SO_REUSEPORT"):
        raise said(InvalidInput, "--workers above 1 needs SO_REUSEPORT (Linux or BSD); run one worker")
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        why = exc.strerror or str(exc)
        raise said(
            InvalidInput, "cannot listen on %(host)s:%(port)s: %(why)s", host=host, port=port, why=why
        ) from exc
    sock.listen(2048)
    return sock


def _end_with(supervisor: Connection) -> None:
    """Block until the supervisor's end of the pipe closes (it stopped or was killed), then stop."""
    with contextlib.suppress(EOFError, OSError):
        supervisor.recv()
    os.kill(os.getpid(), signal.SIGTERM)  # uvicorn's own handler: finish requests, then exit


def portal_process(
    settings: Settings, listen: Listen, health: SharedHealth | None, supervisor: Connection
) -> None:
    """One portal process (the spawn target): its own socket, the app, uvicorn until told to stop."""
    import uvicorn

    from portal.app import create_app

    watch = threading.Thread(target=_end_with, args=(supervisor,), name="govern-supervisor", daemon=True)
    watch.start()
    sock = reuse_port_socket(listen.host, listen.port)
    app = create_app(settings, scheduler=health)
    uvicorn.Server(listen.config(app, settings)).run(sockets=[sock])


class PortalProcesses:
    """The supervisor's side: start, watch, restart and stop the portal processes."""

    def __init__(self, settings: Settings, listen: Listen, workers: int, health: SharedHealth | None) -> None:
        self.settings, self.listen, self.workers, self.health = settings, listen, workers, health
        self.context = spawn_context()
        self.stop = threading.Event()
        self.processes: list[tuple[BaseProcess, Connection]] = []

    def _start_one(self) -> tuple[BaseProcess, Connection]:
        keep, give = self.context.Pipe()
        process = self.context.Process(
            target=portal_process,
            args=(self.settings, self.listen, self.health, give),
            name="govern-portal",
        )
        process.start()
        give.close()  # the child holds the only other end: closing ours later ends it
        return process, keep

    def run(self, scheduler: Scheduler | None) -> None:
        """Serve until :attr:`stop` is set (SIGTERM/SIGINT); restart processes that die meanwhile."""
        reuse_port_socket(self.listen.host, self.listen.port).close()  # a clear error here, not N tracebacks
        self.processes = [self._start_one() for _ in range(self.workers)]
        try:
            while not self.stop.is_set():
                if scheduler is not None and self.health is not None:
                    self.health.publish(scheduler.health())
                wait([p.sentinel for p, _ in self.processes], timeout=PUBLISH_EVERY)
                self._restart_dead()
        finally:
            self._stop_all()

    def _restart_dead(self) -> None:
        for index, (process, pipe) in enumerate(self.processes):
            if not process.is_alive() and not self.stop.is_set():
                log.warning(
                    "portal process %s ended (exit code %s); starting another", process.pid, process.exitcode
                )
                pipe.close()
                self.processes[index] = self._start_one()

    def _stop_all(self) -> None:
        for process, pipe in self.processes:
            pipe.close()  # each process sees EOF and stops itself gracefully
            if process.is_alive() and process.pid is not None:
                os.kill(process.pid, signal.SIGTERM)
        for process, _ in self.processes:
            process.join(STOP_GRACE)
            if process.is_alive():
                process.kill()
                process.join()


def on_stop_signals(stop: threading.Event) -> Callable[[], None]:
    """Set ``stop`` on SIGTERM and SIGINT; returns what puts the previous handlers back."""
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}

    def handler(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    for sig in previous:
        signal.signal(sig, handler)

    def restore() -> None:
        for sig, old in previous.items():
            signal.signal(sig, old)

    return restore
