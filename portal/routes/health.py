"""Health check for load balancers and container runtimes: database reachable, scheduler alive.

When the portal runs its own scheduler (``govern serve``), a scheduler that stopped makes
the check fail: scans would otherwise stay queued for ever behind a green light.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from governance.scheduling.loop import HealthSource
from portal.deps import DbSession

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="Liveness, database reachability, scheduler", include_in_schema=False)
def healthz(request: Request, session: DbSession) -> JSONResponse:
    """200 when the app serves, its database answers and its scheduler (if any) runs; 503 otherwise."""
    body: dict[str, Any] = {"status": "ok", "database": "ok"}
    healthy = True
    try:
        session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        body["database"], healthy = "unreachable", False
    scheduler: HealthSource | None = getattr(request.app.state, "scheduler", None)
    if scheduler is not None:
        health = scheduler.health()
        body["scheduler"] = health.state
        if health.errors:
            body["scheduler_errors"] = sorted(
                health.errors
            )  # job names only: no details to anonymous callers
        healthy = healthy and health.ok
    if not healthy:
        body["status"] = "unavailable"
    return JSONResponse(body, status_code=200 if healthy else 503)
