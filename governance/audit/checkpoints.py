"""Signed checkpoints of the audit chain's head, written outside the database.

The chain alone is unkeyed: whoever can write the database can edit an event and
recompute every later hash, or cut the newest events, and the chain still verifies.
A checkpoint is ``(seq, hash, at)`` of the head, signed with HMAC-SHA256 under a key
kept in a file (``GOVERN_AUDIT_KEY_FILE``, default ``<data_dir>/keys/audit.key``, 0600)
and appended to ``<checkpoint dir>/checkpoints.jsonl``. ``govern audit verify`` checks
every checkpoint's signature and that the event it names still has that hash; the
scheduler writes one every ``GOVERN_AUDIT_CHECKPOINT_MINUTES``. What it does not reach:
changes to events newer than the latest checkpoint, and an attacker who holds the key
file too (keep the key and the checkpoints on storage the database's users cannot write).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlmodel import Session, select

from governance.audit.models import AuditEvent
from governance.audit.service import head
from governance.config import Settings
from governance.db import Database
from governance.jobs import JobRunner
from governance.timeutil import utcnow

FILE_NAME = "checkpoints.jsonl"


@dataclass(frozen=True)
class Checkpoint:
    """The head at one moment, and the signature over it."""

    seq: int
    hash: str
    at: str
    mac: str = ""

    def payload(self) -> bytes:
        return json.dumps({"seq": self.seq, "hash": self.hash, "at": self.at}, sort_keys=True).encode()


def audit_key(settings: Settings) -> bytes:
    """The signing key, created once (0600, in a 0700 folder) when it does not exist yet."""
    path = settings.effective_audit_key_file
    if path.exists():
        return bytes.fromhex(path.read_text(encoding="utf-8").strip())
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first
        return bytes.fromhex(path.read_text(encoding="utf-8").strip())
    key = secrets.token_bytes(32)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key.hex())
    return key


def _sign(key: bytes, checkpoint: Checkpoint) -> str:
    return hmac.new(key, checkpoint.payload(), hashlib.sha256).hexdigest()


def _file(settings: Settings) -> Path:
    return settings.effective_checkpoint_dir / FILE_NAME


def write_checkpoint(
    session: Session, *, settings: Settings, now: datetime | None = None
) -> Checkpoint | None:
    """Append a signed checkpoint of the current head; None when the trail is empty."""
    current = head(session)
    if current.count == 0:
        return None
    key = audit_key(settings)
    unsigned = Checkpoint(current.count, current.hash, (now or utcnow()).isoformat())
    checkpoint = Checkpoint(unsigned.seq, unsigned.hash, unsigned.at, _sign(key, unsigned))
    path = _file(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(asdict(checkpoint), sort_keys=True) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return checkpoint


def _parse(line: str) -> Checkpoint | None:
    try:
        raw = json.loads(line)
        return Checkpoint(int(raw["seq"]), str(raw["hash"]), str(raw["at"]), str(raw["mac"]))
    except (ValueError, KeyError, TypeError):
        return None


def read_checkpoints(settings: Settings) -> list[tuple[Checkpoint, bool]]:
    """Every checkpoint with whether its signature is good (a damaged line counts as forged)."""
    path = _file(settings)
    if not path.exists():
        return []
    key = audit_key(settings)
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        parsed = _parse(line) or Checkpoint(0, "", "", "")
        found.append((parsed, hmac.compare_digest(parsed.mac, _sign(key, parsed))))
    return found


def _judge(session: Session, checkpoint: Checkpoint, signed: bool) -> str | None:
    if not signed:
        return f"a checkpoint ({checkpoint.at or 'unreadable'}) has a bad signature: it was edited or forged"
    event = session.exec(select(AuditEvent).where(AuditEvent.seq == checkpoint.seq)).first()
    if event is None:
        return (
            f"the checkpoint of {checkpoint.at} names event #{checkpoint.seq}, which is gone: "
            "newer events were cut from the trail"
        )
    if event.hash != checkpoint.hash:
        return (
            f"event #{checkpoint.seq} no longer has the hash signed in the checkpoint of {checkpoint.at}: "
            "the chain up to it was rewritten"
        )
    return None


def check_checkpoints(session: Session, *, settings: Settings) -> tuple[int, list[str]]:
    """How many checkpoints were checked, and every problem found."""
    checkpoints = read_checkpoints(settings)
    problems = [p for c, ok in checkpoints if (p := _judge(session, c, ok)) is not None]
    return len(checkpoints), problems


class CheckpointJob(JobRunner):
    """The scheduler's job: a signed checkpoint every ``GOVERN_AUDIT_CHECKPOINT_MINUTES``."""

    name = "audit-checkpoint"

    def __init__(self, database: Database, settings: Settings) -> None:
        super().__init__(every=timedelta(minutes=settings.audit_checkpoint_minutes))
        self.database, self.settings = database, settings

    def run(self, now: datetime) -> int | None:
        with self.database.session() as session:
            checkpoint = write_checkpoint(session, settings=self.settings, now=now)
        return checkpoint.seq if checkpoint else None
