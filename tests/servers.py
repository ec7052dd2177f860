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


LDAP_SUFFIX = "dc=govern,dc=test"
LDAP_ROOT_DN = f"cn=admin,{LDAP_SUFFIX}"
LDAP_ROOT_PASSWORD = "root-secret-for-tests"  # pragma: allowlist secret


def _slapd_conf(base: Path, root_hash: str) -> str:
    schemas = "\n".join(
        f"include /etc/ldap/schema/{name}.schema" for name in ("core", "cosine", "inetorgperson")
    )
    return f"""{schemas}
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile {base}/slapd.pid
argsfile {base}/slapd.args
database mdb
maxsize 33554432
suffix "{LDAP_SUFFIX}"
rootdn "{LDAP_ROOT_DN}"
rootpw {root_hash}
directory {base}/db
access to attrs=userPassword by anonymous auth by self read by * none
access to * by users read by * none
"""


@contextmanager
def slapd_server() -> Iterator[str]:
    """A throwaway OpenLDAP ``slapd`` (Debian's package, no cn=config) with an empty suffix entry.

    Yields its ``ldap://127.0.0.1:PORT`` URL; load entries with :func:`ldap_load`.
    """
    if shutil.which("slapd") is None and not Path("/usr/sbin/slapd").exists():
        raise RuntimeError("slapd not found: apt-get install slapd ldap-utils (scripts/system-deps.sh)")
    base, port = Path(tempfile.mkdtemp(prefix="govern-slapd-")), free_port()
    (base / "db").mkdir()
    root_hash = subprocess.run(
        ["slappasswd", "-s", LDAP_ROOT_PASSWORD], check=True, capture_output=True, text=True
    ).stdout.strip()
    (base / "slapd.conf").write_text(_slapd_conf(base, root_hash), encoding="utf-8")
    url = f"ldap://127.0.0.1:{port}"
    _run(["/usr/sbin/slapd", "-f", str(base / "slapd.conf"), "-h", f"{url}/"])
    try:
        _wait_port(port)
        ldap_load(
            url,
            f"dn: {LDAP_SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\n"
            "o: Govern test\ndc: govern\n",
        )
        yield url
    finally:
        pid = (
            (base / "slapd.pid").read_text(encoding="utf-8").strip() if (base / "slapd.pid").exists() else ""
        )
        if pid:
            subprocess.run(["kill", pid], check=False, capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


def ldap_load(url: str, ldif: str) -> None:
    """Add entries with ``ldapadd`` as the directory's root."""
    result = subprocess.run(
        ["ldapadd", "-x", "-H", url, "-D", LDAP_ROOT_DN, "-w", LDAP_ROOT_PASSWORD],
        input=ldif,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"ldapadd failed: {result.stdout}{result.stderr}")


def ldap_run(url: str, tool: str, *args: str, stdin: str | None = None) -> None:
    """Run ``ldapdelete`` / ``ldapmodify`` as the directory's root."""
    result = subprocess.run(
        [tool, "-x", "-H", url, "-D", LDAP_ROOT_DN, "-w", LDAP_ROOT_PASSWORD, *args],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{tool} failed: {result.stdout}{result.stderr}")
