"""Migration 0011_hierarchy adds ``requirement.parent_key`` over existing rows, and takes it away again."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa
from alembic import command

from governance.config import Settings
from governance.db import alembic_config, create_db_engine


def _columns(connection: sa.Connection) -> set[str]:
    return {column["name"] for column in sa.inspect(connection).get_columns("requirement")}


def test_upgrade_keeps_requirements_and_downgrade_drops_parents(
    backend: str, tmp_path, fresh_postgres: Callable[[], str]
) -> None:
    url = fresh_postgres() if backend == "postgres" else None
    engine = create_db_engine(Settings(data_dir=tmp_path / "old", database_url=url))
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0010_facts")
        connection.execute(sa.text("INSERT INTO vendor (name, created_at) VALUES ('Acme', '2026-01-01')"))
        connection.execute(
            sa.text(
                "INSERT INTO module (key, name, vendor_id, default_branch, requirement_prefix, profile,"
                " settings, lines_of_code, languages, created_at)"
                " VALUES ('PAY', '', 1, 'main', 'PAY', 'default', '{}', 0, '{}', '2026-01-01')"
            )
        )
        for key in ("PAY-1", "PAY-2"):
            connection.execute(
                sa.text(
                    "INSERT INTO requirement (key, module_id, title, description, priority,"
                    " acceptance_criteria, status, created_at)"
                    " VALUES (:key, 1, 't', '', 'medium', '', 'approved', '2026-01-01')"
                ),
                {"key": key},
            )
        command.upgrade(alembic_config(connection), "0011_hierarchy")
        assert "parent_key" in _columns(connection)
        connection.execute(sa.text("UPDATE requirement SET parent_key = 'PAY-1' WHERE key = 'PAY-2'"))
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as connection:
        connection.execute(sa.text("UPDATE requirement SET parent_key = 'PAY-9' WHERE key = 'PAY-1'"))
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0010_facts")
        assert "parent_key" not in _columns(connection)
        keys = connection.execute(sa.text("SELECT key FROM requirement ORDER BY key")).scalars().all()
    assert keys == ["PAY-1", "PAY-2"]
    engine.dispose()
