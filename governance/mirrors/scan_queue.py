"""The hand-off from mirrors to scanning: called whenever new code arrives on a branch.

For now it only records ``scan.requested`` in the audit trail; the scan issue replaces
the body with a real enqueue, keeping this signature so mirrors need not change.
"""

from __future__ import annotations

from sqlmodel import Session

from governance import audit
from governance.registry.models import Module


def request_scan(session: Session, *, module: Module, commit: str, ref: str, trigger: str,
                 actor: str) -> None:
    """Ask for a scan of ``commit`` (the new tip of ``ref``) of ``module``; ``trigger`` is push or sync."""
    audit.record(session, actor=actor, action="scan.requested", target_type="module", target_id=module.key,
                 data={"commit": commit, "ref": ref, "trigger": trigger})
