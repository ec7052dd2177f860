"""``/api/v1/duplication``: code shared between modules (and vendors), as the caller may see it."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from governance.scans.portfolio import DuplicationPair, duplication_pairs
from portal.deps import CurrentUser, DbSession
from portal.routes.api_common import ERRORS

router = APIRouter(prefix="/api/v1/duplication", tags=["duplication"], responses=ERRORS)


class DuplicationOut(BaseModel):
    """Lines and blocks of ``module`` also in ``other``; ``other`` is null for another vendor's module."""

    module: str
    other: str | None
    other_vendor: bool
    lines: int
    blocks: int
    scan_id: int

    @classmethod
    def of(cls, pair: DuplicationPair) -> DuplicationOut:
        return cls(
            module=pair.module,
            other=pair.other,
            other_vendor=pair.other_vendor,
            lines=pair.lines,
            blocks=pair.blocks,
            scan_id=pair.scan_id,
        )


@router.get("", response_model=list[DuplicationOut], summary="Duplicated code between modules")
def list_duplication(session: DbSession, user: CurrentUser) -> list[DuplicationOut]:
    return [DuplicationOut.of(pair) for pair in duplication_pairs(session, user=user)]
