"""Every router of the portal, in one list that :func:`portal.app.create_app` includes.

Add a router here (e.g. the git smart-HTTP router) and the app serves it.
"""

from __future__ import annotations

from fastapi import APIRouter

from portal.routes import (
    api_audit,
    api_duplication,
    api_evidence,
    api_findings,
    api_modules,
    api_requirements,
    api_scans,
    api_vendors,
    api_waivers,
    auth,
    git,
    health,
    pages_admin,
    pages_audit,
    pages_dashboard,
    pages_duplication,
    pages_evidence,
    pages_modules,
    pages_requirements,
    pages_scans,
    pages_standards,
    pages_vendors,
    pages_waivers,
)

ROUTERS: list[APIRouter] = [
    api_modules.router,
    api_findings.router,
    api_scans.router,
    api_requirements.router,
    api_vendors.router,
    api_audit.router,
    api_evidence.router,
    api_waivers.router,
    api_duplication.router,
    auth.router,
    git.router,
    health.router,
    pages_dashboard.router,
    pages_modules.router,
    pages_evidence.router,
    pages_scans.router,
    pages_standards.router,
    pages_requirements.router,
    pages_vendors.router,
    pages_admin.router,
    pages_audit.router,
    pages_waivers.router,
    pages_duplication.router,
]
