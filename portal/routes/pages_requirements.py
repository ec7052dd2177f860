"""Requirements: the list (filters, search) and one requirement with its history and trace."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from governance import access
from governance.requirements.models import RequirementStatus
from portal.deps import CsrfChecked, CurrentUser, DbSession
from portal.services import requirement_import, requirement_moves
from portal.services import requirements as req_service
from portal.templating import render

router = APIRouter(include_in_schema=False)
PAGE = 50


@router.get("/requirements")
def requirements_page(
    request: Request,
    session: DbSession,
    user: CurrentUser,
    module: Annotated[str | None, Query(max_length=40)] = None,
    status: Annotated[str | None, Query(max_length=20)] = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    flt = req_service.RequirementFilter(module=module or None, status=status or None, q=q or None)
    rows, total = req_service.page_requirements(
        session, user=user, flt=flt, limit=PAGE, offset=(page - 1) * PAGE
    )
    return render(
        request,
        "requirements/list.html",
        {
            "rows": rows,
            "total": total,
            "page": page,
            "pages": max(1, -(-total // PAGE)),
            "flt": flt,
            "modules": access.visible_modules(session, user),
            "statuses": [s.value for s in RequirementStatus],
            "counts": req_service.status_counts(session, user=user),
            "may_import": access.can_manage(user),
        },
        user=user,
    )


@router.get("/requirements/{key}")
def requirement_page(request: Request, key: str, session: DbSession, user: CurrentUser) -> Response:
    detail = req_service.readable_requirement(session, user=user, key=key)
    moves = requirement_moves.allowed_moves(detail.requirement.status) if access.can_manage(user) else []
    return render(request, "requirements/detail.html", {"detail": detail, "moves": moves}, user=user)


@router.post("/requirements/{key}/move")
def move_requirement(
    key: str,
    session: DbSession,
    user: CurrentUser,
    _csrf: CsrfChecked,
    to: Annotated[str, Form(max_length=20)],
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    requirement_moves.move(session, user=user, key=key, to=to, reason=reason)
    session.commit()
    return RedirectResponse(f"/requirements/{key}", status_code=303)


@router.post("/requirements/import")
def import_requirements(
    session: DbSession,
    user: CurrentUser,
    _csrf: CsrfChecked,
    module: Annotated[str, Form(max_length=40)],
    file: UploadFile,
) -> Response:
    """A spreadsheet into one module; a refused file imports nothing and its error page lists
    every problem line in the reader's language."""
    requirement_import.import_upload(
        session, user=user, module_key=module, filename=file.filename, data=file.file
    )
    session.commit()
    return RedirectResponse(f"/requirements?module={module}", status_code=303)
