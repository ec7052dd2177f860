"""`govern serve --workers N`: connections spread over the processes, health shared, no orphans."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
import psutil
import pytest

from governance.config import Settings
from governance.db import Database
from governance.scheduling.loop import SchedulerHealth
from governance.scheduling.shared_health import SharedHealth, spawn_context
from tests.servers import free_port
from tests.waiting import wait_for

pytestmark = pytest.mark.slow


@dataclass
class Served:
    process: subprocess.Popen[bytes]
    port: int

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def portals(self) -> list[psutil.Process]:
        """The portal processes: the supervisor's children that listen on the port."""
        found = []
        for child in psutil.Process(self.process.pid).children():
            try:
                if any(
                    c.laddr and c.laddr.port == self.port and c.status == "LISTEN"
                    for c in child.net_connections()
                ):
                    found.append(child)
            except psutil.NoSuchProcess:
                continue
        return found

    def health(self) -> dict[str, object] | None:
        try:
            return dict(httpx.get(self.base + "/healthz", timeout=5).json())
        except httpx.HTTPError:
            return None


def _serve(settings: Settings, *args: str) -> Served:
    port = free_port()
    env = {**os.environ, "GOVERN_DATA_DIR": str(settings.data_dir), "GOVERN_WORKERS": "1"}
    if settings.database_url:
        env["GOVERN_DATABASE_URL"] = settings.database_url
    process = subprocess.Popen(
        [sys.executable, "-m", "governance.cli.app", "serve", "--port", str(port), *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    return Served(process, port)


@pytest.fixture
def two(database: Database, settings: Settings) -> Iterator[Served]:
    served = _serve(settings, "--workers", "2", "--interval", "1")
    try:
        wait_for(lambda: len(served.portals()) == 2, "two portal processes listen")
        yield served
    finally:
        if served.process.poll() is None:
            served.process.kill()
            served.process.wait()
        for child in psutil.Process().children(recursive=True):
            if child.pid != served.process.pid and "spawn_main" in " ".join(child.cmdline()):
                child.kill()


def test_connections_spread_over_both_processes(two: Served) -> None:
    clients = [socket.create_connection(("127.0.0.1", two.port)) for _ in range(32)]
    try:
        mine = {c.getsockname()[1] for c in clients}

        def holders() -> dict[int, int]:
            held: dict[int, int] = {}
            for portal in two.portals():
                count = sum(1 for c in portal.net_connections() if c.raddr and c.raddr.port in mine)
                held[portal.pid] = count
            return held if sum(held.values()) == len(clients) else {}

        held = wait_for(holders, "every connection accepted")
    finally:
        for client in clients:
            client.close()
    # One shared socket lets the first process to wake take the whole burst; a socket each
    # spreads them by address hash (both empty: a chance of 2 in 2**32).
    assert len(held) == 2 and all(count > 0 for count in held.values()), held


def test_every_process_reports_the_scheduler_it_does_not_run(two: Served) -> None:
    def all_running() -> bool:
        answers = [two.health() for _ in range(8)]  # a fresh connection each: both processes answer
        return all(a is not None and a.get("scheduler") == "running" for a in answers)

    wait_for(all_running, "every answer names the supervisor's running scheduler")


def test_sigterm_stops_every_process(two: Served) -> None:
    portals = two.portals()
    two.process.send_signal(signal.SIGTERM)
    assert two.process.wait(timeout=120) == 0
    gone, alive = psutil.wait_procs(portals, timeout=60)
    assert not alive and len(gone) == 2


def test_a_killed_supervisor_takes_its_portal_processes_with_it(two: Served) -> None:
    portals = two.portals()
    two.process.kill()
    two.process.wait()
    gone, alive = psutil.wait_procs(portals, timeout=60)
    assert not alive and len(gone) == 2


def test_a_portal_process_that_dies_is_replaced(two: Served) -> None:
    victim = two.portals()[0]
    victim.kill()
    wait_for(
        lambda: len(pids := {p.pid for p in two.portals()}) == 2 and victim.pid not in pids,
        "a new portal process listens in place of the killed one",
    )
    assert two.health() is not None


def test_a_port_taken_by_another_program_is_a_clear_error(database: Database, settings: Settings) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {**os.environ, "GOVERN_DATA_DIR": str(settings.data_dir)}
        if settings.database_url:
            env["GOVERN_DATABASE_URL"] = settings.database_url
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "governance.cli.app",
                "serve",
                "--port",
                str(port),
                "--workers",
                "2",
                "--no-scheduler",
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert result.returncode == 2, result.stderr
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr


def test_shared_health_round_trip() -> None:
    shared = SharedHealth(spawn_context())
    assert shared.health().state == "not started" and not shared.health().ok
    when = datetime(2026, 12, 6, 2, 30, tzinfo=UTC)
    shared.publish(SchedulerHealth("running", when, {"fire-schedules": "CroniterBadDateError"}))
    assert shared.health() == SchedulerHealth("running", when, {"fire-schedules": "CroniterBadDateError"})
    shared.publish(SchedulerHealth("stopped", None, {f"job-{i}": "x" * 500 for i in range(40)}))
    seen = shared.health()
    assert seen.state == "stopped" and not seen.ok and len(seen.errors) == 40


def test_the_access_log_can_be_left_to_the_proxy() -> None:
    from governance.cli.listening import Listen

    settings = Settings()
    assert Listen("127.0.0.1", 8000).config(object(), settings).access_log is True
    assert Listen("127.0.0.1", 8000, access_log=False).config(object(), settings).access_log is False
