"""Shared fixtures: settings in a temp data dir, databases (SQLite and real PostgreSQL), the CLI."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from governance.config import Settings
from governance.db import Database, open_database
from governance.schema import metadata
from tests import servers
from tests.celery_workers import Workers
from tests.ldap_directory import Directory


@pytest.fixture(scope="session")
def postgres_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str | None]:
    """A PostgreSQL server URL, or None when this run does not use one."""
    given = os.environ.get("GOVERN_TEST_POSTGRES_URL")
    if given:
        yield given
    elif servers.wanted("GOVERN_TEST_POSTGRES"):
        with servers.postgres_server() as url:
            yield url
    else:
        yield None


def _database_on(server_url: str, name: str) -> str:
    """Create database ``name`` on the server and return its URL."""
    engine = sa.create_engine(
        server_url.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT"
    )
    with engine.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return sa.make_url(server_url).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def postgres_database(postgres_url: str | None) -> str | None:
    """One migrated database per test run; tests empty its tables between them."""
    if postgres_url is None:
        return None
    return _database_on(postgres_url, f"govern_test_{uuid.uuid4().hex[:8]}")


@pytest.fixture
def fresh_postgres(postgres_url: str | None) -> Callable[[], str]:
    """Factory of brand-new empty databases (for migration tests)."""

    def make() -> str:
        if postgres_url is None:
            pytest.skip("no PostgreSQL for this run (set GOVERN_TEST_POSTGRES=1)")
        return _database_on(postgres_url, f"govern_fresh_{uuid.uuid4().hex[:8]}")

    return make


def _truncate_all(engine: sa.Engine) -> None:
    names = ", ".join(f'"{table.name}"' for table in metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> str:
    """Run a test on both databases; PostgreSQL only where this run has one."""
    if request.param == "postgres" and request.getfixturevalue("postgres_database") is None:
        if servers.in_ci():
            pytest.fail("CI must run the PostgreSQL tests, but no server was started")
        pytest.skip("no PostgreSQL for this run (set GOVERN_TEST_POSTGRES=1)")
    return str(request.param)


@pytest.fixture
def settings(tmp_path: Path, backend: str, request: pytest.FixtureRequest) -> Settings:
    """Settings with a temp data dir, on the parametrised database."""
    url = request.getfixturevalue("postgres_database") if backend == "postgres" else None
    return Settings(data_dir=tmp_path / "data", database_url=url)


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite file migrated to head per test process, copied for each test that wants one.

    Migrating a new file costs about a quarter of a second, paid by well over a thousand
    tests; the migrations themselves are tested from an empty file in ``test_db.py``.
    """
    settings = Settings(data_dir=tmp_path_factory.mktemp("migrated") / "data")
    open_database(settings).dispose()  # the last connection's close checkpoints the WAL into the file
    return Path(settings.effective_database_url.removeprefix("sqlite:///"))


@pytest.fixture
def database(settings: Settings, request: pytest.FixtureRequest) -> Iterator[Database]:
    """A migrated, empty database for one test."""
    if settings.is_sqlite:
        file = Path(settings.effective_database_url.removeprefix("sqlite:///"))
        if not file.exists():
            file.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(request.getfixturevalue("migrated_sqlite"), file)
    db = open_database(settings)
    if not settings.is_sqlite:
        _truncate_all(db.engine)
    yield db
    db.dispose()


@pytest.fixture
def session(database: Database) -> Iterator[Session]:
    with database.session() as active:
        yield active


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def govern(
    settings: Settings,
    database: Database,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> Callable[..., CliResult]:
    """Run the real `govern` entry point in-process against this test's database."""
    from governance.cli.app import main

    monkeypatch.setenv("GOVERN_DATA_DIR", str(settings.data_dir))
    if settings.database_url:
        monkeypatch.setenv("GOVERN_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("GOVERN_ACTOR", "tester")
    monkeypatch.setenv("GOVERN_LANG", "en")  # the tests read English whatever the machine's locale
    monkeypatch.setenv("COLUMNS", "200")

    def run(*args: str, input: str | None = None) -> CliResult:
        capsys.readouterr()
        if input is not None:
            import io

            monkeypatch.setattr("sys.stdin", io.StringIO(input))
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A Redis server URL: from GOVERN_TEST_REDIS_URL, or a throwaway server (CI, or asked)."""
    given = os.environ.get("GOVERN_TEST_REDIS_URL")
    if given:
        yield given
    elif servers.wanted("GOVERN_TEST_REDIS"):
        with servers.redis_server() as url:
            yield url
    elif servers.in_ci():
        pytest.fail("CI must run the Redis tests, but no server was started")
    else:
        pytest.skip("no Redis for this run (set GOVERN_TEST_REDIS=1)")


@pytest.fixture(scope="session")
def slapd_url() -> Iterator[str]:
    """A throwaway slapd (CI, or GOVERN_TEST_LDAP=1); the run fails in CI if it cannot start."""
    if not servers.wanted("GOVERN_TEST_LDAP"):
        pytest.skip("no LDAP server for this run (set GOVERN_TEST_LDAP=1)")
    with servers.slapd_server() as url:
        yield url


@pytest.fixture
def ldap_directory(slapd_url: str) -> Directory:
    """The test directory (tests/ldap_directory.py), loaded afresh for each test."""
    directory = Directory(slapd_url)
    directory.reset()
    return directory


@pytest.fixture(scope="session")
def click_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """click 8.1.7's released sdist (~10k lines nobody here wrote), extracted once per run."""
    from tests.corpus import fetch_sdist

    return fetch_sdist("click==8.1.7", tmp_path_factory.mktemp("click"))


@pytest.fixture
def celery_broker(redis_url: str) -> str:
    """Redis database 3 of the test server, emptied first."""
    import redis

    url = f"{redis_url}/3"
    redis.Redis.from_url(url).flushdb()
    return url


@pytest.fixture
def workers(celery_broker: str, tmp_path: Path) -> Iterator[Workers]:
    """Start `govern worker` processes; all are stopped after the test."""
    started = Workers(celery_broker, tmp_path)
    yield started
    started.stop_all()
