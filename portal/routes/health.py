"""Health check for load balancers and container runtimes: is the database reachable?"""

from __future__ import annotations

import sqlalchemy as sa
from fastapi import APIRouter
from fastapi.responses import JSONResponse

from portal.deps import DbSession

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="Liveness and database reachability", include_in_schema=False)
def healthz(session: DbSession) -> JSONResponse:
    """200 when the app serves and its database answers; 503 otherwise (no secrets, no auth)."""
    try:
        session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        return JSONResponse({"status": "unavailable", "database": "unreachable"}, status_code=503)
    return JSONResponse({"status": "ok", "database": "ok"})
