"""Migration 0006_rules masks secret literals that scans stored before masking existed."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory
from sqlmodel import Session, SQLModel, select

from governance.config import Settings
from governance.db import alembic_config, create_db_engine
from governance.registry.models import Module, Vendor
from governance.scans.models import Finding, Scan, ScanStatus


def _insert(connection: sa.Connection, row: SQLModel) -> int:
    """``row`` stored in the schema of that time: only the columns its table had then (a model
    of today has columns later migrations added), with today's model values."""
    table = sa.Table(row.__tablename__, sa.MetaData(), autoload_with=connection)
    values = {column.name: getattr(row, column.name) for column in table.columns if column.name != "id"}
    key = connection.execute(table.insert().values(**values)).inserted_primary_key
    assert key is not None
    return int(key[0])


SECRET = "Finance@2023"  # pragma: allowlist secret - the literal a stored message held


def test_stored_secret_messages_are_masked_once(tmp_path: Path) -> None:
    engine = create_db_engine(Settings(data_dir=tmp_path / "old"))
    with engine.begin() as connection:
        config = alembic_config(connection)
        before = ScriptDirectory.from_config(config).get_revision("0006_rules").down_revision
        command.upgrade(config, str(before))
    with engine.begin() as connection:
        vendor = _insert(connection, Vendor(name="Acme"))
        module = _insert(
            connection, Module(key="PAY", name="PAY", vendor_id=vendor, requirement_prefix="PAY")
        )
        scan = _insert(
            connection,
            Scan(
                module_id=module,
                commit_sha="a" * 40,
                branch="main",
                trigger="manual",
                status=ScanStatus.complete,
            ),
        )
        for rule, message in (
            (
                "bandit:B105",
                f"hardcoded_password_string: Possible hardcoded password: '{SECRET}' [severity LOW]",
            ),
            ("pylint:W0611", "Unused import 'os'"),
        ):
            finding = Finding(
                scan_id=scan,
                module_id=module,
                rule=rule,
                tool=rule.split(":")[0],
                tool_rule="x",
                severity="major",
                path="a.py",
                line=1,
                end_line=1,
                message=message,
                fingerprint=rule,
            )
            _insert(connection, finding)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")
    with Session(engine) as session:
        messages = {f.rule: f.message for f in session.exec(select(Finding))}
    assert SECRET not in messages["bandit:B105"] and "'Fi******'" in messages["bandit:B105"]
    assert messages["pylint:W0611"] == "Unused import 'os'"
    engine.dispose()
