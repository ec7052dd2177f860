"""A module's page (latest scan, standards, findings, history, sync) and one finding with its source."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from markupsafe import Markup
from sqlmodel import Session

from governance import access, audit
from governance.errors import NotFound, said
from governance.mirrors.delivery import delivery_for
from governance.registry.models import Module, User
from governance.scans.models import Finding, Scan, WaiverKind
from governance.waivers import service as waivers
from portal.deps import Caches, CurrentUser, DbSession, SettingsDep
from portal.routes.api_common import FindingId
from portal.routes.finding_query import FindingQuery
from portal.services import findings as findings_service
from portal.services import module_view
from portal.services import scans as scans_service
from portal.services.source import lines_around, secret_lines
from portal.templating import locale_for, render, render_fragment

router = APIRouter(include_in_schema=False)
PAGE = 50


@router.get("/modules/{key}")
def module_page(
    request: Request,
    key: str,
    session: DbSession,
    user: CurrentUser,
    flt: FindingQuery,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    branch: Annotated[str | None, Query(max_length=200)] = None,
    *,
    caches: Caches,
    settings: SettingsDep,
    scan: Annotated[str | None, Query(pattern="^(queued|coalesced)$")] = None,
) -> Response:
    module = access.readable_module(session, user, key)  # the access check is never cached
    locale = locale_for(request, user)
    shown = branch or module.default_branch
    version = scans_service.scans_version(session, module=module)
    view = caches.modules.get_or_compute(
        (module.id, locale, shown, version), lambda: _summary(request, session, user, module, shown)
    )
    findings_html = ""
    if view.scan_id is not None:
        findings_html = caches.fragments.get_or_compute(
            (view.scan_id, flt, page, locale),
            lambda: _findings(request, session, user, module, view.scan_id, flt, page),
        )
    return render(
        request,
        "modules/detail.html",
        {
            "module": module,
            "vendor_name": view.vendor_name,
            "has_scan": view.scan_id is not None,
            "branch": view.branch,
            "branches": view.branches,
            # rendered by an autoescaping template (bandit B704)
            "scan_html": Markup(view.scan_html),  # nosec B704
            # rendered by an autoescaping template (bandit B704)
            "history_html": Markup(view.history_html),  # nosec B704
            # rendered by an autoescaping template (bandit B704)
            "findings_html": Markup(findings_html),  # nosec B704
            "delivery": delivery_for(module, base_url=settings.base_url or str(request.base_url)),
            "can_scan": access.can_queue_scan(user, module),
            "scan_done": scan,
        },
        user=user,
    )


@dataclass(frozen=True)
class _Rendered:
    """A module's scan card and history, rendered once per language and shared for a few seconds."""

    vendor_name: str
    branch: str
    branches: list[str]
    scan_id: int | None
    scan_html: str
    history_html: str


def _summary(request: Request, session: Session, user: User, module: Module, branch: str) -> _Rendered:
    view = module_view.summary(session, module=module, branch=branch)
    scan_html = ""
    if view.scan is not None:
        scan_html = render_fragment(
            request,
            "modules/_scan.html",
            {
                "scan": view.scan,
                "module": module,
                "results": view.results,
                "failing": view.failing,
                "standards": scans_service.STANDARDS,
            },
            user=user,
        )
    history_html = render_fragment(
        request, "modules/_history.html", {"history": view.history, "module": module}, user=user
    )
    scan_id = view.scan.id if view.scan else None
    return _Rendered(view.vendor_name, view.branch, view.branches, scan_id, scan_html, history_html)


def _findings(
    request: Request,
    session: Session,
    user: User,
    module: Module,
    scan_id: int,
    flt: findings_service.FindingFilter,
    page: int,
) -> str:
    scan = session.get(Scan, scan_id)
    assert scan is not None  # complete scans are never deleted
    table = findings_service.findings_table(
        session, scan=scan, module=module, flt=flt, page=page, per_page=PAGE
    )
    return render_fragment(
        request,
        "modules/_findings.html",
        {"module": module, "standards": scans_service.STANDARDS, **table},
        user=user,
    )


@router.get("/modules/{key}/findings/{finding_id}")
def finding_page(
    request: Request,
    key: str,
    finding_id: FindingId,
    session: DbSession,
    user: CurrentUser,
    settings: SettingsDep,
) -> Response:
    module = access.readable_module(session, user, key)
    finding = session.get(Finding, finding_id)
    if finding is None or finding.module_id != module.id:
        raise said(NotFound, "unknown finding #%(finding_id)s", finding_id=finding_id)
    scan, _ = scans_service.readable_scan(session, user=user, scan_id=finding.scan_id)
    source = lines_around(
        settings.data_dir,
        module_key=module.key,
        commit=scan.commit_sha,
        path=finding.path,
        line=finding.line,
        end_line=finding.end_line,
        secret_lines=secret_lines(session, scan_id=finding.scan_id, path=finding.path),
    )
    audit.record_read(
        session,
        reader=user.name,
        module=module.key,
        action="source.view",
        detail={"finding": finding_id, "path": finding.path, "commit": scan.commit_sha, "lines": len(source)},
    )
    return render(
        request,
        "modules/finding.html",
        {
            "module": module,
            "scan": scan,
            "finding": finding,
            "source": source,
            "waivers": [
                w
                for w in waivers.list_waivers(session, user=user, module=module.key)
                if w.fingerprint == finding.fingerprint
            ],
            "may_request": waivers.may_request(user, module),
            "may_decide": access.can_manage(user),
            "kinds": [kind.value for kind in WaiverKind],
        },
        user=user,
    )
