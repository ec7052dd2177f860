"""Engine and session factory; every opening of the database brings it to head.

SQLite (the embedded default) runs in WAL mode with foreign keys on; PostgreSQL is used
through psycopg 3. The same models and migrations serve both.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session

from governance.config import Settings
from governance.errors import DatabaseUnavailable, InvalidInput, said

MIGRATIONS = Path(__file__).with_name("migrations")


def _normalise_url(url: str) -> str:
    """Let users write ``postgresql://`` and still get the psycopg 3 driver."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def create_db_engine(settings: Settings) -> Engine:
    """An engine for the configured database; SQLite files get their directory made."""
    url = _normalise_url(settings.effective_database_url)
    try:
        return _engine(url, settings.db_pool_size)
    except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError) as exc:
        raise said(InvalidInput, "invalid database URL: %(error)s", error=str(exc)) from exc


def _engine(url: str, pool_size: int) -> Engine:
    # Kept connections must cover the threads that use them at once: a checkout beyond
    # ``pool_size`` opens a connection that is closed on return, and a fresh SQLite connection
    # pays its pragmas and a schema parse on its first query (a third of a page's time under load).
    pooling: dict[str, Any] = {"pool_size": pool_size, "max_overflow": pool_size}
    if url.startswith("sqlite"):
        database = make_url(url).database
        if not database or database == ":memory:":
            pooling = {}  # SQLAlchemy pools an in-memory database per thread (SingletonThreadPool)
        else:
            _make_parent(Path(database))
        engine = sa.create_engine(url, connect_args={"timeout": 30}, **pooling)
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return sa.create_engine(url, pool_pre_ping=True, **pooling)


def _make_parent(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise said(
            DatabaseUnavailable,
            "cannot create the data directory %(parent)s: %(reason)s",
            parent=str(path.parent),
            reason=exc.strerror,
        ) from exc


def alembic_config(connection: sa.Connection) -> Config:
    """Alembic configuration bound to an open connection (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str | None:
    """The newest migration shipped with this version of Govern."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config).get_current_head()


def migrate(engine: Engine) -> None:
    """Upgrade to head; a no-op (one cheap query) when the schema is already current."""
    try:
        with engine.begin() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
            if current != head_revision():
                command.upgrade(alembic_config(connection), "head")
    except sa.exc.OperationalError as exc:
        raise said(
            DatabaseUnavailable,
            "cannot open the database: %(database)s: %(reason)s",
            database=_safe(engine),
            reason=_reason(exc),
        ) from exc


def _safe(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def _reason(exc: sa.exc.OperationalError) -> str:
    return str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)


class Database:
    """An opened, migrated database: hands out sessions."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session committed on success and rolled back on any error."""
        with Session(self.engine, expire_on_commit=False) as session, committing(session):
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


@contextmanager
def committing(session: Session) -> Iterator[Session]:
    """Commit ``session`` when the block succeeds, roll it back on any error (interrupts too)."""
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise


def open_database(settings: Settings) -> Database:
    """Open (creating and migrating as needed) the configured database."""
    engine = create_db_engine(settings)
    migrate(engine)
    return Database(engine)
