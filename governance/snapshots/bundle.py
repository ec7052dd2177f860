"""Building, signing and verifying review snapshot files.

A snapshot is one canonical JSON document (sorted keys, no spaces, UTF-8, one final newline):
``format``, ``created_at``, ``public_key``, ``content`` and ``signature`` (Ed25519 over the
canonical document without the signature). Verification needs nothing but the file: it
re-serialises the parsed document and requires the very same bytes (so any changed byte,
even outside the signed values, is caught), then checks the signature with the bundle's
public key, and, when given, that this key is the pinned one.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from governance import access, audit
from governance.config import Settings
from governance.registry.models import Module, User
from governance.snapshots.content import audit_head_at, module_content
from governance.snapshots.signing import (
    key_fingerprint,
    private_key,
    public_raw,
    sign,
    signature_ok,
    strict_b64,
)

FORMAT = "govern-snapshot/1"


def canonical(value: Any) -> bytes:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode()


def build_content(
    session: Session, *, settings: Settings, modules: list[Module], audit_seq: int | None = None
) -> dict[str, Any]:
    """The frozen content of a snapshot of ``modules`` (by key) after the audit event ``audit_seq``."""
    return {
        "audit_head": audit_head_at(session, audit_seq),
        "modules": [
            module_content(session, settings=settings, module=m) for m in sorted(modules, key=lambda m: m.key)
        ],
    }


def signed_document(settings: Settings, content: dict[str, Any], created_at: datetime) -> bytes:
    """The snapshot file's bytes."""
    key = private_key(settings)
    document = {
        "format": FORMAT,
        "created_at": created_at.isoformat(),
        "public_key": base64.b64encode(public_raw(key)).decode(),
        "content": content,
    }
    return canonical({**document, "signature": sign(key, canonical(document))}) + b"\n"


def create_snapshot(
    session: Session,
    *,
    settings: Settings,
    user: User | None,
    modules: list[Module],
    actor: str,
    created_at: datetime,
    audit_seq: int | None = None,
) -> bytes:
    """A signed snapshot of the modules the reader may read (a vendor: its own); audited."""
    if user is not None:
        for module in modules:
            access.require(access.can_read_module(user, module), f"snapshot {module.key}")
    data = signed_document(
        settings, build_content(session, settings=settings, modules=modules, audit_seq=audit_seq), created_at
    )
    audit.record(
        session,
        actor=actor,
        action="snapshot.create",
        target_type="module",
        target_id=",".join(sorted(m.key for m in modules))[:200],
        data={"modules": sorted(m.key for m in modules), "bytes": len(data)},
    )
    session.commit()
    return data


@dataclass(frozen=True)
class Verdict:
    """Outcome of verifying one file: intact or not, why, and the signing key's fingerprint."""

    ok: bool
    problem: str = ""
    key: str = ""


def _parsed(data: bytes) -> dict[str, Any] | None:
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return document if isinstance(document, dict) else None


def verify_snapshot(data: bytes, *, pinned: str | None = None) -> Verdict:
    """Check a snapshot file offline; ``pinned`` is the expected key's ``sha256:`` fingerprint."""
    document = _parsed(data)
    if document is None or set(document) != {"format", "created_at", "public_key", "content", "signature"}:
        return Verdict(False, "not a Govern snapshot (or damaged beyond reading)")
    if canonical(document) + b"\n" != data:
        return Verdict(False, "the file is not byte for byte as it was written (changed or re-formatted)")
    signature = document.pop("signature")
    try:
        public = strict_b64(str(document["public_key"]))
    except ValueError:
        return Verdict(False, "the public key is damaged")
    fingerprint = key_fingerprint(public)
    if len(public) != 32 or not signature_ok(public, str(signature), canonical(document)):
        return Verdict(
            False, "the signature does not match the content: it was changed after signing", fingerprint
        )
    if pinned is not None and pinned != fingerprint:
        return Verdict(False, f"signed with key {fingerprint}, not the pinned {pinned}", fingerprint)
    return Verdict(True, "", fingerprint)
