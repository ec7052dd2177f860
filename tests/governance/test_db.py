"""The schema comes from migrations only, and matches the models on both databases."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from governance.config import Settings
from governance.db import Database, create_db_engine, head_revision, migrate
from governance.errors import DatabaseUnavailable, InvalidInput
from governance.schema import metadata


def _drift(engine: sa.Engine) -> list[object]:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, metadata))


def _migrated_fresh(backend: str, tmp_path, fresh_postgres: Callable[[], str]) -> sa.Engine:
    url = fresh_postgres() if backend == "postgres" else None
    engine = create_db_engine(Settings(data_dir=tmp_path / "fresh", database_url=url))
    migrate(engine)
    return engine


def test_upgrade_from_empty_reaches_head(backend: str, tmp_path, fresh_postgres) -> None:
    engine = _migrated_fresh(backend, tmp_path, fresh_postgres)
    with engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() == head_revision()
        tables = set(sa.inspect(connection).get_table_names())
    assert set(metadata.tables) <= tables
    engine.dispose()


def test_models_match_migrated_schema(backend: str, tmp_path, fresh_postgres) -> None:
    engine = _migrated_fresh(backend, tmp_path, fresh_postgres)
    assert _drift(engine) == []
    engine.dispose()


def test_migrate_twice_is_a_no_op(database: Database) -> None:
    migrate(database.engine)
    with database.engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() == head_revision()


def test_sqlite_runs_in_wal_with_foreign_keys(tmp_path) -> None:
    engine = create_db_engine(Settings(data_dir=tmp_path))
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def test_unreachable_database_is_a_clear_error(tmp_path) -> None:
    settings = Settings(data_dir=tmp_path, database_url="postgresql://127.0.0.1:1/none")
    with pytest.raises(DatabaseUnavailable, match="cannot open the database"):
        migrate(create_db_engine(settings))


def test_unknown_database_scheme_is_a_clear_error(tmp_path) -> None:
    with pytest.raises(InvalidInput, match="invalid database URL"):
        create_db_engine(Settings(data_dir=tmp_path, database_url="nosuchdb://x"))


def test_the_pool_keeps_the_configured_connections(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A checkout beyond the kept connections opens one that is closed on return: the portal's
    threads must fit in ``GOVERN_DB_POOL_SIZE`` (SQLAlchemy's own default keeps 5)."""
    engine = create_db_engine(Settings(data_dir=tmp_path, db_pool_size=9))
    try:
        held = [engine.connect() for _ in range(9)]
        for connection in held:
            connection.close()
        assert engine.pool.size() == 9 and engine.pool.checkedin() == 9
    finally:
        engine.dispose()
