"""Vendor pushes into the central repository: the work behind the pre- and post-receive hooks.

``pre_receive`` runs every push rule before any ref moves and returns what broke;
``post_receive`` runs once the refs moved: it archives tips a push rewrote or deleted
(pre-receive cannot create refs while the new objects are quarantined), ingests the new
commits, records the accepted push and asks for a scan of each updated branch.
"""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session

from governance import audit
from governance.config import Settings
from governance.mirrors import push_checks, push_log
from governance.mirrors.gitcmd import is_ancestor, update_refs
from governance.mirrors.lock import mirror_lock
from governance.mirrors.push_rules import RefUpdate, Violation, check_namespace, check_protected, rules_for
from governance.mirrors.repo import ARCHIVE_NS, mirror_path
from governance.mirrors.scan_queue import request_scan
from governance.mirrors.service import record_archive, refresh_module
from governance.mirrors.sync import RefChange
from governance.notices.events import Event
from governance.notices.outbox import enqueue
from governance.registry.service import get_module
from governance.timeutil import utcnow


def pre_receive(
    session: Session, *, settings: Settings, key: str, pusher: str, updates: list[RefUpdate]
) -> list[Violation]:
    """Check a push against the module's rules; a refusal goes into the push log and the audit trail."""
    module = get_module(session, key)
    path, rules = mirror_path(settings, key), rules_for(module)
    commits = push_checks.new_commits(path, updates)
    blobs = push_checks.new_blobs(path, updates)
    violations = [
        *check_namespace(updates),
        *check_protected(path, rules, updates),
        *push_checks.check_requirements(session, module=module, rules=rules, commits=commits, path=path),
        *push_checks.check_sizes(path, rules, updates, blobs),
        *push_checks.check_secrets(path, rules, updates, blobs),
    ]
    if violations:
        push_log.record_refusal(session, module=module, pusher=pusher, updates=updates, violations=violations)
        audit.record(
            session,
            actor=pusher,
            action="push.reject",
            target_type="module",
            target_id=key,
            data={
                "refs": [u.ref for u in updates],
                "violations": [f"{v.rule}: {v.where}: {v.problem}" for v in violations],
            },
        )
        _announce_refusal(
            session, module_id=module.id, key=key, pusher=pusher, updates=updates, violations=violations
        )
    return violations


def _announce_refusal(
    session: Session,
    *,
    module_id: int | None,
    key: str,
    pusher: str,
    updates: list[RefUpdate],
    violations: list[Violation],
) -> None:
    """Enqueue "push refused" in the hook's own transaction (the hook is a process of its own)."""
    enqueue(
        session,
        event=Event.push_refused,
        module_id=module_id,
        vendor_id=None,
        payload={
            "module": key,
            "by": pusher,
            "ref": ", ".join(u.ref for u in updates),
            "findings": [_finding(v) for v in violations],
            "fix": "; ".join(dict.fromkeys(v.fix for v in violations)),
            "url": f"/modules/{key}",
        },
    )


def _finding(violation: Violation) -> dict[str, object]:
    """A violation as a notice's finding: the English, and its wording (translated per reader)."""
    item: dict[str, object] = {"rule": violation.rule, "path": violation.where, "message": violation.problem}
    if violation.problem_wording is not None:
        item["message_wording"] = violation.problem_wording.as_json()
    return item


def render_refusal(key: str, violations: list[Violation]) -> str:
    """The text a vendor reads in its ``git push`` output (each line becomes ``remote: ...``)."""
    lines = [f"Govern refused this push to {key}: {len(violations)} problem(s).", ""]
    lines += [violation.render() for violation in violations]
    lines += ["", "Nothing was changed on the server. Fix the commits above and push again."]
    return "\n".join(lines) + "\n"


def _archive_changes(path: Path, updates: list[RefUpdate]) -> list[RefChange]:
    """Keep the old tip of every rewritten or deleted ref (and moved tag) under the archive namespace."""
    stamp = utcnow().strftime("%Y%m%dT%H%M%S%fZ")
    changes = []
    for u in updates:
        rewritten = not u.is_create and (
            u.is_delete or u.ref.startswith("refs/tags/") or not is_ancestor(path, u.old, u.new)
        )
        changes.append(
            RefChange(
                u.ref,
                None if u.is_create else u.old,
                None if u.is_delete else u.new,
                f"{ARCHIVE_NS}/{stamp}/{u.ref}" if rewritten else None,
            )
        )
    update_refs(path, [f"create {c.archived_as} {c.old}" for c in changes if c.archived_as])
    return changes


def post_receive(
    session: Session, *, settings: Settings, key: str, pusher: str, updates: list[RefUpdate]
) -> int:
    """Archive, ingest, record and queue scans after an accepted push; returns new commits ingested."""
    module = get_module(session, key)
    path = mirror_path(settings, key)
    with mirror_lock(path):
        changes = _archive_changes(path, updates)
        added = refresh_module(session, module=module, path=path)
    record_archive(session, module=module, changes=changes, actor=pusher, trigger="push")
    push_log.record_acceptance(session, module=module, pusher=pusher, updates=updates, new_commits=added)
    audit.record(
        session,
        actor=pusher,
        action="push.accept",
        target_type="module",
        target_id=key,
        data={"refs": {u.ref: {"old": u.old, "new": u.new} for u in updates}, "new_commits": added},
    )
    for update in updates:
        if update.ref.startswith("refs/heads/") and not update.is_delete:
            request_scan(
                session, module=module, commit=update.new, ref=update.ref, trigger="push", actor=pusher
            )
    return added
