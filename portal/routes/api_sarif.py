"""``/api/v1/modules/{key}/sarif``: a vendor's own tool results (SARIF 2.1.0) for one commit."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request, UploadFile
from pydantic import BaseModel

from governance import access
from governance.evidence import sarif_import
from governance.evidence.models import SarifImport
from portal.deps import CurrentUser, DbSession, SettingsDep
from portal.routes.api_common import ERRORS
from portal.routes.api_evidence import _token_only

router = APIRouter(prefix="/api/v1", tags=["evidence"], responses=ERRORS)


class SarifOut(BaseModel):
    """One SARIF import: the tools it holds, how many results, and the scan queued for it."""

    id: int
    module: str
    commit: str
    tools: list[str]
    results: int
    filename: str
    sha256: str
    uploaded_by: str
    uploaded_at: datetime
    rescan: int | None = None

    @classmethod
    def of(cls, row: SarifImport, module: str, rescan: int | None = None) -> SarifOut:
        return cls(
            id=row.id or 0,
            module=module,
            commit=row.commit_sha,
            tools=row.tools,
            results=len(row.results),
            filename=row.filename,
            sha256=row.sha256,
            uploaded_by=row.uploaded_by,
            uploaded_at=row.uploaded_at,
            rescan=rescan,
        )


@router.post(
    "/modules/{key}/sarif",
    response_model=SarifOut,
    status_code=201,
    summary="Import a SARIF 2.1.0 file of the vendor's own tools for one commit (vendor CI token, pm, admin)",
)
def import_sarif(
    key: str,
    request: Request,
    file: UploadFile,
    session: DbSession,
    settings: SettingsDep,
    user: CurrentUser,
    commit: Annotated[str, Query(min_length=40, max_length=40, description="Full commit id")],
) -> SarifOut:
    _token_only(request)
    module = access.readable_module(session, user, key)
    access.require(access.can_submit_evidence(user, module), f"import SARIF for {key}")
    data = file.file.read(sarif_import.MAX_SARIF_BYTES + 1)
    done = sarif_import.import_sarif(
        session,
        settings=settings,
        module=module,
        commit_sha=commit,
        filename=file.filename or "results.sarif",
        data=data,
        actor=user.name,
    )
    return SarifOut.of(done.row, module.key, done.rescan)


@router.get("/modules/{key}/sarif", response_model=list[SarifOut], summary="A module's SARIF imports")
def list_sarif(key: str, session: DbSession, user: CurrentUser) -> list[SarifOut]:
    module = access.readable_module(session, user, key)
    return [SarifOut.of(r, module.key) for r in sarif_import.list_imports(session, module=module)]
