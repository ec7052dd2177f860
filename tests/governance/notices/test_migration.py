"""Migration 0010_notices moves hand-edited ``module.settings["webhooks"]`` into the webhook table."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command

from governance.db import alembic_config


def test_module_settings_webhooks_become_rows(tmp_path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0006_rules")
        connection.execute(sa.text("INSERT INTO vendor (name, created_at) VALUES ('Acme', '2026-01-01')"))
        settings = (
            '{"webhooks": [{"url": "https://ci.acme.example/hook", "secret": "s3cret-value-0123",'
            ' "events": ["gate.failed"]}, {"secret": "no url"}], "push_rules": {"max_blob_bytes": 1000}}'
        )
        connection.execute(
            sa.text(
                "INSERT INTO module (key, name, vendor_id, default_branch, requirement_prefix, profile,"
                " settings, lines_of_code, languages, created_at)"
                " VALUES ('PAY', '', 1, 'main', 'PAY', 'default', :s, 0, '{}', '2026-01-01')"
            ),
            {"s": settings},
        )
        command.upgrade(alembic_config(connection), "head")
        rows = connection.execute(
            sa.text("SELECT module_id, vendor_id, url, secret, events, active FROM webhook")
        ).all()
        left = connection.execute(sa.text("SELECT settings FROM module")).scalar_one()
    assert rows == [(1, None, "https://ci.acme.example/hook", "s3cret-value-0123", '["gate.failed"]', 1)]
    assert "webhooks" not in left and "push_rules" in left
    engine.dispose()
