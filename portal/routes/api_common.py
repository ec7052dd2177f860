"""What every API router shares: the error responses documented in OpenAPI, paging parameters."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query

from portal.schemas import ErrorOut

ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "No valid session or token"},
    403: {"model": ErrorOut, "description": "Not allowed for this role"},
    404: {"model": ErrorOut, "description": "Not found (or not visible to this user)"},
    422: {"model": ErrorOut, "description": "Invalid parameters"},
}

Limit = Annotated[int, Query(ge=1, le=500, description="Page size")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Items to skip")]
