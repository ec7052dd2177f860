"""The hand-off from mirrors to scanning: called whenever new code arrives on a branch.

New code on a branch queues a scan of that commit; the scheduler (or `govern serve`'s
in-process scheduler) runs queued scans. A module already scanning coalesces requests.
"""

from __future__ import annotations

from sqlmodel import Session

from governance.registry.models import Module
from governance.scans import service as scans


def request_scan(
    session: Session, *, module: Module, commit: str, ref: str, trigger: str, actor: str
) -> None:
    """Queue a scan of ``commit`` (the new tip of ``ref``) of ``module``; ``trigger`` is push or sync."""
    branch = ref.removeprefix("refs/heads/") if ref.startswith("refs/heads/") else None
    if branch is None:
        return  # tags and other refs are kept, but only branches are tracked by scans
    scans.request_scan(session, module=module, trigger=trigger, actor=actor, commit=commit, branch=branch)
