"""The rule catalogue: ``/standards`` and ``/standards/<RULE>`` (``?module=KEY`` for a module's profile)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from portal.deps import CurrentUser, DbSession, SettingsDep
from portal.services import catalogue
from portal.templating import render

router = APIRouter(include_in_schema=False)

ModuleKey = Annotated[str | None, Query(max_length=40)]


@router.get("/standards")
def standards_index(
    request: Request, session: DbSession, user: CurrentUser, settings: SettingsDep, module: ModuleKey = None
) -> Response:
    scope = catalogue.module_profile(session, settings=settings, user=user, key=module)
    return render(
        request,
        "standards/index.html",
        {
            "standards": catalogue.standards(settings),
            "scanner_rules": catalogue.scanner_rules(),
            "module_key": scope[0].key if scope else None,
            "profile": scope[1] if scope else None,
        },
        user=user,
    )


@router.get("/standards/{rule_id}")
def rule_page(
    request: Request,
    rule_id: Annotated[str, Path(max_length=160)],
    session: DbSession,
    user: CurrentUser,
    settings: SettingsDep,
    module: ModuleKey = None,
) -> Response:
    scope = catalogue.module_profile(session, settings=settings, user=user, key=module)
    view = catalogue.rule_view(settings, rule_id=rule_id, scope=scope)
    return render(
        request,
        f"standards/{view.kind}_rule.html",
        {"view": view, "module_key": scope[0].key if scope else None},
        user=user,
    )
