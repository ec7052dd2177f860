"""Signed checkpoints outside the database catch a recomputed chain and a cut tail (issue 15, row 10)."""

from __future__ import annotations

import json
import stat
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlmodel import col, select

from governance.audit.models import AuditEvent
from governance.audit.service import GENESIS, compute_hash
from governance.db import Database


def _rechain(database: Database, *, edit_seq: int, target: str) -> None:
    """What someone with database access does: edit an event and recompute every later hash."""
    with database.session() as session:
        rows = session.exec(select(AuditEvent).order_by(col(AuditEvent.seq))).all()
        previous = GENESIS
        for row in rows:
            if row.seq == edit_seq:
                row.target_id = target
            row.prev_hash = previous
            row.hash = compute_hash(row)
            previous = row.hash
            session.add(row)


def test_a_recomputed_chain_is_caught_by_the_checkpoint(govern, database) -> None:
    for name in ("A1", "B2", "C3"):
        govern("vendor", "add", name)
    assert govern("audit", "checkpoint").code == 0
    _rechain(database, edit_seq=2, target="Z9")
    result = govern("audit", "verify")
    assert result.code == 1 and "checkpoint" in result.err and "#3" in result.err


def test_a_cut_tail_is_caught_without_a_remembered_head(govern, database) -> None:
    govern("vendor", "add", "A1")
    govern("vendor", "add", "B2")
    assert govern("audit", "checkpoint").code == 0
    with database.engine.begin() as connection:
        connection.execute(sa.text("DELETE FROM audit_event WHERE seq = 2"))
    result = govern("audit", "verify")
    assert result.code == 1 and "#2" in result.err


def test_a_forged_checkpoint_is_caught(govern, settings) -> None:
    govern("vendor", "add", "A1")
    govern("audit", "checkpoint")
    path = settings.data_dir / "audit-checkpoints" / "checkpoints.jsonl"
    record = json.loads(path.read_text().splitlines()[-1])
    record["hash"] = "f" * 64
    path.write_text(json.dumps(record) + "\n")
    result = govern("audit", "verify")
    assert result.code == 1 and "signature" in result.err


def test_the_key_is_kept_outside_the_database_with_0600(govern, settings) -> None:
    govern("vendor", "add", "A1")
    govern("audit", "checkpoint")
    key = settings.data_dir / "keys" / "audit.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert govern("audit", "verify").code == 0


def test_the_scheduler_writes_checkpoints(database, settings) -> None:
    from governance.audit.checkpoints import CheckpointJob, read_checkpoints
    from governance.registry import service as registry

    with database.session() as session:
        registry.create_vendor(session, name="Acme", actor="t")
    job = CheckpointJob(database, settings)
    assert job.execute(datetime(2026, 1, 1, tzinfo=UTC)).error is None
    assert [c.seq for c, _ok in read_checkpoints(settings)] == [1]
    assert not job.due(datetime(2026, 1, 1, 0, 30, tzinfo=UTC))
