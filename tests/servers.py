"""Throwaway PostgreSQL and Redis servers for tests, from Debian's packages.

A test run uses a server URL from the environment when one is given
(``GOVERN_TEST_POSTGRES_URL``, ``GOVERN_TEST_REDIS_URL``); otherwise, in CI or when
asked (``GOVERN_TEST_POSTGRES=1`` / ``GOVERN_TEST_REDIS=1``), it starts its own on a free
loopback port in a temporary directory and stops it at the end.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.waiting import wait_for


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def wanted(flag: str) -> bool:
    """Server-backed tests run in CI always, elsewhere when the flag is set."""
    return in_ci() or os.environ.get(flag, "").lower() in {"1", "true", "yes"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_port(port: int) -> None:
    def listening() -> bool:
        with socket.socket() as sock:
            return sock.connect_ex(("127.0.0.1", port)) == 0

    wait_for(listening, f"a server listens on port {port}")


def _pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise RuntimeError("PostgreSQL binaries not found: apt-get install postgresql")
    return found[-1]


def _as_postgres(argv: list[str]) -> list[str]:
    """initdb and pg_ctl refuse to run as root; run them as the postgres user."""
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


def _run(argv: list[str]) -> None:
    result = subprocess.run(argv, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed: {result.stdout}{result.stderr}")


@contextmanager
def postgres_server() -> Iterator[str]:
    """Start a throwaway cluster (fsync off) and yield a superuser URL.

    The cluster lives in its own world-traversable temp dir: the postgres user must
    reach it, and pytest's own temp dirs are private to root.
    """
    base = Path(tempfile.mkdtemp(prefix="govern-pg-"))
    base.chmod(0o755)
    data, port = base / "pgdata", free_port()
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
    _run(
        _as_postgres(
            [
                _pg_bin("initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ]
        )
    )
    options = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
    _run(
        _as_postgres(
            [_pg_bin("pg_ctl"), "-D", str(data), "-l", str(base / "log"), "-w", "-o", options, "start"]
        )
    )
    try:
        _wait_port(port)
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            _as_postgres([_pg_bin("pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]),
            check=False,
            capture_output=True,
        )
        shutil.rmtree(base, ignore_errors=True)


@contextmanager
def redis_server() -> Iterator[str]:
    """Start a throwaway redis-server that keeps nothing on disk."""
    port = free_port()
    base = Path(tempfile.mkdtemp(prefix="govern-redis-"))
    subprocess.run(
        [
            "redis-server",
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--daemonize",
            "yes",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(base),
            "--pidfile",
            str(base / "redis.pid"),
        ],
        check=True,
        capture_output=True,
    )
    try:
        _wait_port(port)
        yield f"redis://127.0.0.1:{port}"
    finally:
        subprocess.run(["redis-cli", "-p", str(port), "shutdown", "nosave"], check=False, capture_output=True)
        shutil.rmtree(base, ignore_errors=True)
