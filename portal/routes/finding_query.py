"""The findings filter as query parameters, shared by the module page, the scan report and the API.

One parser means one meaning: a sort key or state that one face accepts, every face accepts,
and an unknown one is a 422 everywhere (empty form fields mean "any").
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query

from portal.services.findings import SORT_KEYS, FindingFilter


async def finding_filter(
    standard: Annotated[str | None, Query(max_length=20)] = None,
    severity: Annotated[str | None, Query(max_length=10)] = None,
    state: Annotated[str | None, Query(max_length=12, description="new, persisting or fixed")] = None,
    path: Annotated[str | None, Query(max_length=1000, description="Path prefix")] = None,
    new_only: bool = False,
    q: Annotated[str | None, Query(max_length=200, description="Text in the message, path or rule")] = None,
    sort: Annotated[str, Query(max_length=12, description="One of: " + ", ".join(SORT_KEYS))] = "severity",
    desc: bool = False,
) -> FindingFilter:
    """The filter from the query string, validated (unknown state or sort key: 422)."""
    return FindingFilter(
        standard=standard or None,
        severity=severity or None,
        state=state or None,
        path=path or None,
        new_only=new_only,
        q=(q or "").strip() or None,
        sort=sort or "severity",
        desc=desc,
    ).validated()


FindingQuery = Annotated[FindingFilter, Depends(finding_filter)]
