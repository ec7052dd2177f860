""" "Scan now": a PM queues a scan of a module's branch through the coalescing trigger service.

The request goes through :func:`governance.scans.service.request_scan` like a push or a
schedule, so a branch never has two queued scans: pressing the button while one is queued or
running returns that scan instead of a new one. Vendors and auditors may not press it
(:func:`governance.access.can_queue_scan`); a module they cannot read is a 404 as everywhere.
"""

from __future__ import annotations

from sqlmodel import Session

from governance import access
from governance.registry.models import User
from governance.registry.validation import branch as valid_branch
from governance.scans import service
from governance.scans.models import Scan


def scan_now(session: Session, *, user: User, key: str, branch: str | None = None) -> tuple[Scan, bool]:
    """Queue a manual scan of ``branch`` (default: the module's default branch); (scan, is it new)."""
    module = access.readable_module(session, user, key)
    access.require(access.can_queue_scan(user, module), "queue a scan")
    chosen = valid_branch(branch) if branch else module.default_branch
    return service.request_scan(session, module=module, trigger="manual", actor=user.name, branch=chosen)
