"""Who read which module's code: source access recorded in the audit trail.

A vendor's code and the findings about it are what Govern guards; changes of state are
audited everywhere, and so are reads of source: a git fetch or clone through the portal,
a page that shows source lines, a scan report, findings fetched through the API. Each is
one event in the same hash chain, with the reader as actor and the module as target, so
an auditor answers "who has seen module X" from the trail (``govern audit`` or /audit).

One event per operation, not per request: a git fetch is recorded at its ref
advertisement (``info/refs?service=git-upload-pack``), which every clone, fetch and
ls-remote starts with once, rather than at each pack request of the exchange.
"""

from __future__ import annotations

from typing import Any, Literal, get_args

from sqlmodel import Session

from governance.audit.service import record

ReadAction = Literal["source.git_fetch", "source.view", "findings.report", "findings.export"]
READ_ACTIONS: tuple[ReadAction, ...] = get_args(ReadAction)


def record_read(
    session: Session,
    *,
    reader: str,
    module: str,
    action: ReadAction,
    detail: dict[str, Any] | None = None,
) -> None:
    """One source-access event, in the caller's transaction (the read's own request)."""
    record(
        session,
        actor=reader,
        action=action,
        target_type="module",
        target_id=module,
        data={"module": module, **(detail or {})},
    )
