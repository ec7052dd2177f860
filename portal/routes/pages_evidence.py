"""A module's evidence page (tests, coverage, dependencies, tool versions, attestations) and decisions."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from governance import access
from governance.evidence import attestations
from governance.evidence.view import module_evidence
from governance.scans.profiles import builtin_catalogue
from governance.timeutil import utcnow
from portal.deps import CsrfChecked, CurrentUser, DbSession
from portal.routes.api_evidence import AttestationId
from portal.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/modules/{key}/evidence")
def evidence_page(request: Request, key: str, session: DbSession, user: CurrentUser) -> Response:
    module = access.readable_module(session, user, key)
    view = module_evidence(session, module=module, now=utcnow())
    approver = {
        row.row.id: access.can_approve(
            user, attestations.attested_rule(builtin_catalogue(), row.row.rule_id).approver_role
        )
        for row in view.attestations
    }
    return render(
        request, "evidence/module.html", {"module": module, "view": view, "can_decide": approver}, user=user
    )


@router.post("/attestations/{ident}/decide")
def decide(
    ident: AttestationId,
    session: DbSession,
    user: CurrentUser,
    _csrf: CsrfChecked,
    decision: Annotated[str, Form(pattern="^(approve|reject)$")],
    expires: Annotated[str, Form(max_length=10)] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    row = attestations.get(session, ident)
    module = access.readable_module_by_id(session, user, row.module_id)
    check = attestations.attested_rule(builtin_catalogue(), row.rule_id)
    access.require(access.can_approve(user, check.approver_role), f"decide on {row.rule_id} evidence")
    until = None
    if expires:
        try:
            until = datetime.combine(datetime.strptime(expires, "%Y-%m-%d").date(), time(23, 59), tzinfo=UTC)
        except ValueError:
            until = None
    attestations.decide(
        session,
        attestation_id=ident,
        approve=decision == "approve",
        expires_at=until,
        note=note,
        actor=user.name,
        now=utcnow(),
        catalogue=builtin_catalogue(),
    )
    return RedirectResponse(f"/modules/{module.key}/evidence", status_code=303)
