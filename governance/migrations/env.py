"""Alembic environment: runs on the connection Govern hands over (no alembic.ini URL)."""

from __future__ import annotations

from alembic import context

from governance.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - Govern always passes its connection
    raise RuntimeError("run migrations through governance.db.migrate()")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
