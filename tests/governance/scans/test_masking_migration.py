"""Migration 0006_rules masks secret literals that scans stored before masking existed."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory
from sqlmodel import Session, select

from governance.config import Settings
from governance.db import alembic_config, create_db_engine
from governance.registry.models import Module, Vendor
from governance.scans.models import Finding, Scan, ScanStatus


def _id(value: int | None) -> int:
    assert value is not None  # flushed rows have ids
    return value


SECRET = "Finance@2023"  # pragma: allowlist secret - the literal a stored message held


def test_stored_secret_messages_are_masked_once(tmp_path: Path) -> None:
    engine = create_db_engine(Settings(data_dir=tmp_path / "old"))
    with engine.begin() as connection:
        config = alembic_config(connection)
        before = ScriptDirectory.from_config(config).get_revision("0006_rules").down_revision
        command.upgrade(config, str(before))
    with Session(engine) as session:
        vendor = Vendor(name="Acme")
        session.add(vendor)
        session.flush()
        module = Module(key="PAY", name="PAY", vendor_id=_id(vendor.id), requirement_prefix="PAY")
        session.add(module)
        session.flush()
        scan = Scan(
            module_id=_id(module.id),
            commit_sha="a" * 40,
            branch="main",
            trigger="manual",
            status=ScanStatus.complete,
        )
        session.add(scan)
        session.flush()
        for rule, message in (
            (
                "bandit:B105",
                f"hardcoded_password_string: Possible hardcoded password: '{SECRET}' [severity LOW]",
            ),
            ("pylint:W0611", "Unused import 'os'"),
        ):
            session.add(
                Finding(
                    scan_id=_id(scan.id),
                    module_id=_id(module.id),
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
            )
        session.commit()
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")
    with Session(engine) as session:
        messages = {f.rule: f.message for f in session.exec(select(Finding))}
    assert SECRET not in messages["bandit:B105"] and "'Fi******'" in messages["bandit:B105"]
    assert messages["pylint:W0611"] == "Unused import 'os'"
    engine.dispose()
