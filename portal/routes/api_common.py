"""What every API router shares: the error responses documented in OpenAPI, paging parameters."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path, Query, Request

from governance.errors import PermissionDenied, said
from portal.schemas import ErrorOut

ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "No valid session or token"},
    403: {"model": ErrorOut, "description": "Not allowed for this role"},
    404: {"model": ErrorOut, "description": "Not found (or not visible to this user)"},
    422: {"model": ErrorOut, "description": "Invalid parameters"},
}

# Row ids are 32-bit integers on PostgreSQL: larger ids are invalid input, not a database error.
MAX_ID = 2**31 - 1
ScanId = Annotated[int, Path(ge=1, le=MAX_ID, description="Scan id")]
FindingId = Annotated[int, Path(ge=1, le=MAX_ID, description="Finding id")]
WebhookId = Annotated[int, Path(ge=1, le=MAX_ID, description="Webhook id")]

Limit = Annotated[int, Query(ge=1, le=500, description="Page size")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Items to skip")]


def token_only(request: Request) -> None:
    """API writes need a Bearer token (a browser session's cookie is not enough)."""
    if not getattr(request.state, "via_token", False):
        raise said(PermissionDenied, "API writes need a Bearer token")
