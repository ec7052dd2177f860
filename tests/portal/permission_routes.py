"""The permission matrix as data: every (method, route) the portal serves, what is sent, who may.

Each :class:`Check` names the route template as the app declares it (the coverage test matches
these against ``app.routes``), the URL asked for (``{name}`` filled from the world's ids, all of
them Acme's, vendor A's), the body, and the outcome for each of the six actors.

Outcomes: ``OK`` (2xx, or a redirect that is not to the login page), ``LOGIN`` (anonymous: 401
JSON from the API and git, a redirect to the login page from pages), ``FORBIDDEN`` (403: the role
may not), ``HIDDEN`` (404: the object is another vendor's, so it does not exist for this user).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from tests.portal.conftest import PASSWORD
from tests.portal.permission_world import ACTORS, ANONYMOUS


class Outcome(StrEnum):
    OK = "ok"
    LOGIN = "login"
    FORBIDDEN = "forbidden"
    HIDDEN = "hidden"


OK, LOGIN, FORBIDDEN, HIDDEN = Outcome.OK, Outcome.LOGIN, Outcome.FORBIDDEN, Outcome.HIDDEN


def expect(
    ok: str, *, forbidden: str = "", hidden: str = "", anonymous: Outcome = LOGIN
) -> dict[str, Outcome]:
    """Outcomes by actor from space-separated names; every signed-in actor must be named once."""
    named = {ANONYMOUS: anonymous}
    for outcome, names in ((OK, ok), (FORBIDDEN, forbidden), (HIDDEN, hidden)):
        for name in names.split():
            assert name not in named, f"{name} named twice"
            named[name] = outcome
    assert set(named) == set(ACTORS), f"unnamed actors: {set(ACTORS) - set(named)}"
    return named


EVERYONE = expect("admin pm auditor vendor_a vendor_b")
READERS = expect("admin pm auditor vendor_a", hidden="vendor_b")  # of Acme's objects
STAFF = expect("admin pm auditor", forbidden="vendor_a vendor_b")
AUDITORS = expect("admin auditor", forbidden="pm vendor_a vendor_b")
MANAGERS = expect("admin pm", forbidden="auditor vendor_a vendor_b")
ACME_MANAGERS = expect("admin pm", forbidden="auditor vendor_a", hidden="vendor_b")
ACME_SUBMITTERS = expect("admin pm vendor_a", forbidden="auditor", hidden="vendor_b")
ACME_VENDOR = expect("vendor_a", forbidden="admin pm auditor", hidden="vendor_b")
ADMINS = expect("admin", forbidden="pm auditor vendor_a vendor_b")
PUBLIC = expect("admin pm auditor vendor_a vendor_b", anonymous=OK)


@dataclass(frozen=True)
class Check:
    """One request, asked by each actor in turn (each time on the same, rewound world)."""

    method: str
    route: str
    expected: Mapping[str, Outcome]
    url: str = ""  # default: the route itself
    json: Any = None
    form: Mapping[str, Any] | None = None
    files: Mapping[str, tuple[str, bytes, str]] | None = None
    params: Mapping[str, str] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)

    @property
    def api(self) -> bool:
        """Asked with a Bearer token (git: Basic), not with a browser session."""
        return self.route.startswith(("/api/", "/git/"))

    def target(self, ids: Mapping[str, str]) -> str:
        return (self.url or self.route).format(**ids)

    def query(self, ids: Mapping[str, str]) -> dict[str, str]:
        return {name: value.format(**ids) for name, value in self.params.items()}

    def body(self, ids: Mapping[str, str]) -> Any:
        """The JSON body, its strings filled from the world's ids."""
        if not isinstance(self.json, dict):
            return self.json
        return {k: v.format(**ids) if isinstance(v, str) else v for k, v in self.json.items()}


SHA = "a" * 40
SOON = (date.today() + timedelta(days=20)).isoformat()
LATER = (date.today() + timedelta(days=60)).isoformat()
JUNIT = b'<testsuite name="t" tests="1"><testcase classname="c" name="a"/></testsuite>'
SARIF = b'{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "semgrep"}}, "results": []}]}'
EVIDENCE = {"file": ("inventory.xlsx", b"PK\x03\x04 sheet", "application/octet-stream")}
NEW_FINDING_WAIVER = {"fingerprint": "{spare_finding}", "reason": "the scanner misreads this"}
CAMPAIGN = {"title": "ACME clean", "goal": "no_findings", "severity": "critical", "deadline": LATER}

API: list[Check] = [
    Check("GET", "/api/v1/modules", EVERYONE),
    Check("GET", "/api/v1/modules/{key}", READERS, "/api/v1/modules/ACME"),
    Check("GET", "/api/v1/modules/{key}/scans", READERS, "/api/v1/modules/ACME/scans"),
    Check("GET", "/api/v1/modules/{key}/findings", READERS, "/api/v1/modules/ACME/findings"),
    Check("GET", "/api/v1/modules/{key}/findings/export", READERS, "/api/v1/modules/ACME/findings/export"),
    Check("GET", "/api/v1/scans/{scan_id}", READERS, "/api/v1/scans/{scan}"),
    Check("GET", "/api/v1/requirements", EVERYONE),
    Check("GET", "/api/v1/requirements/{key}", READERS, "/api/v1/requirements/ACME-0001"),
    Check(
        "POST",
        "/api/v1/requirements/{key}/moves",
        MANAGERS,
        "/api/v1/requirements/ACME-0001/moves",
        json={"to": "in_progress", "reason": "sprint"},
    ),
    Check("GET", "/api/v1/vendors", EVERYONE),
    Check("GET", "/api/v1/audit", AUDITORS),
    Check(
        "POST",
        "/api/v1/modules/{key}/evidence",
        ACME_SUBMITTERS,
        "/api/v1/modules/ACME/evidence",
        params={"commit": SHA, "kind": "junit"},
        files={"file": ("TEST-a.xml", JUNIT, "application/xml")},
    ),
    Check("GET", "/api/v1/modules/{key}/evidence", READERS, "/api/v1/modules/ACME/evidence"),
    Check("GET", "/api/v1/scans/{scan_id}/sbom", READERS, "/api/v1/scans/{scan}/sbom"),
    Check(
        "POST",
        "/api/v1/modules/{key}/attestations",
        ACME_SUBMITTERS,
        "/api/v1/modules/ACME/attestations",
        form={"rule": "DAT-011", "statement": "Inventory v4."},
        files=EVIDENCE,
    ),
    Check("GET", "/api/v1/modules/{key}/attestations", READERS, "/api/v1/modules/ACME/attestations"),
    Check(
        "POST",
        "/api/v1/attestations/{ident}/decision",
        ACME_MANAGERS,
        "/api/v1/attestations/{attestation}/decision",
        json={"approve": True, "expires_at": f"{LATER}T00:00:00Z"},
    ),
    Check("GET", "/api/v1/attestations/{ident}/file", READERS, "/api/v1/attestations/{attestation}/file"),
    Check(
        "POST",
        "/api/v1/modules/{key}/sarif",
        ACME_SUBMITTERS,
        "/api/v1/modules/ACME/sarif",
        params={"commit": "{commit}"},
        files={"file": ("own.sarif", SARIF, "application/sarif+json")},
    ),
    Check("GET", "/api/v1/modules/{key}/sarif", READERS, "/api/v1/modules/ACME/sarif"),
    Check("GET", "/api/v1/modules/{key}/waivers", READERS, "/api/v1/modules/ACME/waivers"),
    Check(
        "POST",
        "/api/v1/modules/{key}/waivers",
        ACME_SUBMITTERS,
        "/api/v1/modules/ACME/waivers",
        json=NEW_FINDING_WAIVER,
    ),
    Check(
        "POST",
        "/api/v1/modules/{key}/waivers/{waiver_id}/approve",
        ACME_MANAGERS,
        "/api/v1/modules/ACME/waivers/{waiver}/approve",
        json={"reason": "agreed for this release", "expires_at": f"{LATER}T00:00:00Z"},
    ),
    Check(
        "POST",
        "/api/v1/modules/{key}/waivers/{waiver_id}/reject",
        ACME_MANAGERS,
        "/api/v1/modules/ACME/waivers/{waiver}/reject",
        json={"reason": "fix it in the next sprint"},
    ),
    Check(
        "POST",
        "/api/v1/modules/{key}/waivers/{waiver_id}/revoke",
        ACME_MANAGERS,
        "/api/v1/modules/ACME/waivers/{approved_waiver}/revoke",
        json={"reason": "no longer true"},
    ),
    Check("GET", "/api/v1/waivers", EVERYONE),
    Check("GET", "/api/v1/tickets", EVERYONE),
    Check("GET", "/api/v1/tickets/{ticket_id}", READERS, "/api/v1/tickets/{ticket}"),
    Check(
        "POST",
        "/api/v1/tickets/{ticket_id}/answer",
        ACME_SUBMITTERS,  # the vendor answers; PMs and admins add to the thread
        "/api/v1/tickets/{ticket}/answer",
        json={"comment": "fixing", "planned": SOON},
    ),
    Check(
        "POST",
        "/api/v1/tickets/{ticket_id}/waivers",
        ACME_SUBMITTERS,
        "/api/v1/tickets/{ticket}/waivers",
        json={"reason": "the scanner misreads these"},
    ),
    Check(
        "POST",
        "/api/v1/tickets/{ticket_id}/reassign",
        ACME_MANAGERS,
        "/api/v1/tickets/{ticket}/reassign",
        json={"assignee": "vendor_a"},
    ),
    Check(
        "POST",
        "/api/v1/tickets/{ticket_id}/extend",
        ACME_MANAGERS,
        "/api/v1/tickets/{ticket}/extend",
        json={"until": LATER, "reason": "the team is on holiday"},
    ),
    Check(
        "POST",
        "/api/v1/tickets/{ticket_id}/accept-risk",
        ACME_MANAGERS,
        "/api/v1/tickets/{ticket}/accept-risk",
        json={"reason": "compensating control", "until": LATER},
    ),
    Check("GET", "/api/v1/campaigns", EVERYONE),
    Check("GET", "/api/v1/campaigns/{campaign_id}", READERS, "/api/v1/campaigns/{campaign}"),
    Check("POST", "/api/v1/campaigns", MANAGERS, json={**CAMPAIGN, "modules": ["ACME"]}),
    Check(
        "POST",
        "/api/v1/campaigns/{campaign_id}/close",
        ACME_MANAGERS,
        "/api/v1/campaigns/{campaign}/close",
        json={"reason": "the goal was met early"},
    ),
    Check("GET", "/api/v1/scorecards", EVERYONE),
    Check("GET", "/api/v1/reports/monthly", STAFF),
    Check("GET", "/api/v1/reports/monthly/{month}", STAFF, "/api/v1/reports/monthly/{month}"),
    Check("GET", "/api/v1/webhooks", MANAGERS),
    Check(
        "POST", "/api/v1/webhooks", MANAGERS, json={"url": "http://127.0.0.1:9/other", "vendor": "Acme Soft"}
    ),
    Check("DELETE", "/api/v1/webhooks/{webhook_id}", MANAGERS, "/api/v1/webhooks/{webhook}"),
    Check("POST", "/api/v1/webhooks/{webhook_id}/test", MANAGERS, "/api/v1/webhooks/{webhook}/test"),
    Check("GET", "/api/v1/me/notices", EVERYONE),
    Check("PUT", "/api/v1/me/notices", EVERYONE, json={"mode": "digest"}),
    Check("GET", "/api/v1/tokens", EVERYONE),
    Check("POST", "/api/v1/tokens", EVERYONE, json={"label": "ci"}),
    Check(
        "DELETE",
        "/api/v1/tokens/{token_id}",
        expect("admin vendor_a", hidden="pm auditor vendor_b"),
        "/api/v1/tokens/{token}",
    ),
    Check("GET", "/api/v1/users", ADMINS),
    Check("GET", "/api/v1/users/{name}", ADMINS, "/api/v1/users/vendor_b"),
    Check("PATCH", "/api/v1/users/{name}", ADMINS, "/api/v1/users/vendor_b", json={"locale": "zh_CN"}),
    Check("POST", "/api/v1/users/{name}/deactivate", ADMINS, "/api/v1/users/vendor_b/deactivate"),
    Check("POST", "/api/v1/users/{name}/activate", ADMINS, "/api/v1/users/vendor_b/activate"),
    Check("POST", "/api/v1/users/{name}/password", ADMINS, "/api/v1/users/vendor_b/password"),
    Check("GET", "/api/v1/modules/{key}/pushes", READERS, "/api/v1/modules/ACME/pushes"),
    Check("GET", "/api/v1/modules/{key}/delivery", READERS, "/api/v1/modules/ACME/delivery"),
    Check("POST", "/api/v1/modules/{key}/scans", ACME_MANAGERS, "/api/v1/modules/ACME/scans"),
    Check(
        "GET",
        "/api/v1/reports/scan/{scan_id}",
        READERS,
        "/api/v1/reports/scan/{scan}",
        params={"format": "json"},
    ),
    Check(
        "GET",
        "/api/v1/reports/module/{key}",
        READERS,
        "/api/v1/reports/module/ACME",
        params={"format": "json"},
    ),
    Check(
        "GET",
        "/api/v1/reports/vendor/{name}",
        READERS,
        "/api/v1/reports/vendor/Acme Soft",
        params={"format": "json"},
    ),
    Check("GET", "/api/v1/reports/portfolio", EVERYONE, params={"format": "json"}),
    Check("GET", "/api/v1/duplication", EVERYONE),
]

SIGN_IN = {"username": "pm", "password": PASSWORD, "next": "/"}

PUBLIC_ROUTES: list[Check] = [
    Check("GET", "/login", PUBLIC),
    Check("POST", "/login", PUBLIC, form=SIGN_IN),
    Check("POST", "/logout", PUBLIC),
    Check("GET", "/healthz", PUBLIC),
    Check("GET", "/api/v1/openapi.json", PUBLIC),  # the API's description, no data
    Check("GET", "/static", PUBLIC, "/static/govern.css"),
    # OIDC is not configured in this world: the sign-in routes exist for nobody.
    Check("GET", "/login/oidc", expect("", hidden="admin pm auditor vendor_a vendor_b", anonymous=HIDDEN)),
    Check(
        "GET",
        "/login/oidc/callback",
        expect("", hidden="admin pm auditor vendor_a vendor_b", anonymous=HIDDEN),
        params={"state": "s", "code": "c"},
    ),
    Check(
        "GET",
        "/git/{repo}/{path:path}",
        READERS,
        "/git/ACME.git/info/refs",
        params={"service": "git-upload-pack"},
    ),
    Check(
        "POST",
        "/git/{repo}/{path:path}",
        ACME_VENDOR,
        "/git/ACME.git/git-receive-pack",
        headers={"Content-Type": "application/x-git-receive-pack-request"},
    ),
]

PAGES: list[Check] = [
    Check("GET", "/", EVERYONE),
    Check("GET", "/modules/{key}", READERS, "/modules/ACME"),
    Check("GET", "/modules/{key}/findings/{finding_id}", READERS, "/modules/ACME/findings/{finding}"),
    Check("GET", "/modules/{key}/evidence", READERS, "/modules/ACME/evidence"),
    Check(
        "POST",
        "/attestations/{ident}/decide",
        ACME_MANAGERS,
        "/attestations/{attestation}/decide",
        form={"decision": "approve", "expires": LATER},
    ),
    Check("GET", "/scans/{scan_id}", READERS, "/scans/{scan}"),
    Check("GET", "/standards", EVERYONE),
    Check("GET", "/standards/{rule_id}", EVERYONE, "/standards/DAT-011"),
    Check("GET", "/requirements", EVERYONE),
    Check("GET", "/requirements/{key}", READERS, "/requirements/ACME-0001"),
    Check(
        "POST",
        "/requirements/{key}/move",
        MANAGERS,
        "/requirements/ACME-0001/move",
        form={"to": "in_progress", "reason": "sprint planning"},
    ),
    Check(
        "POST",
        "/requirements/import",
        MANAGERS,
        form={"module": "ACME"},
        files={"file": ("requirements.csv", b"key,title\nACME-0900,Imported on the portal\n", "text/csv")},
    ),
    Check("GET", "/vendors", EVERYONE),
    Check("GET", "/admin", STAFF),
    Check("POST", "/admin/vendors", MANAGERS, form={"name": "Gamma Labs"}),
    Check("POST", "/admin/modules", MANAGERS, form={"key": "GAMMA", "vendor": "Acme Soft"}),
    Check(
        "POST",
        "/admin/users",
        ADMINS,
        form={"name": "newcomer", "role": "auditor", "password": "long enough pw"},
    ),
    Check("POST", "/admin/tokens", ADMINS, form={"owner": "pm", "label": "ci"}),
    Check("GET", "/audit", AUDITORS),
    Check("GET", "/audit/export.csv", AUDITORS),
    Check(
        "POST",
        "/modules/{key}/findings/{finding_id}/waivers",
        ACME_SUBMITTERS,
        "/modules/ACME/findings/{finding}/waivers",
        form={"kind": "false_positive", "reason": "the scanner misreads this"},
    ),
    Check("GET", "/modules/{key}/waivers", READERS, "/modules/ACME/waivers"),
    Check("GET", "/waivers", EVERYONE),
    Check(
        "POST",
        "/waivers/{waiver_id}/decide",
        ACME_MANAGERS,
        "/waivers/{waiver}/decide",
        form={"decision": "approve", "reason": "agreed for this release", "expires": LATER},
    ),
    Check(
        "POST",
        "/waivers/{waiver_id}/revoke",
        ACME_MANAGERS,
        "/waivers/{approved_waiver}/revoke",
        form={"reason": "no longer true after the rewrite"},
    ),
    Check("GET", "/tickets", EVERYONE),
    Check("GET", "/tickets/{ticket_id}", READERS, "/tickets/{ticket}"),
    Check(
        "POST",
        "/tickets/{ticket_id}/answer",
        ACME_SUBMITTERS,
        "/tickets/{ticket}/answer",
        form={"comment": "fixing"},
    ),
    Check(
        "POST",
        "/tickets/{ticket_id}/waive",
        ACME_SUBMITTERS,
        "/tickets/{ticket}/waive",
        form={"reason": "the scanner misreads these"},
    ),
    Check(
        "POST",
        "/tickets/{ticket_id}/reassign",
        ACME_MANAGERS,
        "/tickets/{ticket}/reassign",
        form={"assignee": "vendor_a"},
    ),
    Check(
        "POST",
        "/tickets/{ticket_id}/extend",
        ACME_MANAGERS,
        "/tickets/{ticket}/extend",
        form={"until": LATER, "reason": "the team is on holiday"},
    ),
    Check(
        "POST",
        "/tickets/{ticket_id}/accept-risk",
        ACME_MANAGERS,
        "/tickets/{ticket}/accept-risk",
        form={"reason": "compensating control", "until": LATER},
    ),
    Check("GET", "/campaigns", EVERYONE),
    Check("GET", "/campaigns/{campaign_id}", READERS, "/campaigns/{campaign}"),
    Check("POST", "/campaigns", MANAGERS, form={**CAMPAIGN, "modules": "ACME"}),
    Check(
        "POST",
        "/campaigns/{campaign_id}/close",
        ACME_MANAGERS,
        "/campaigns/{campaign}/close",
        form={"reason": "the goal was met early"},
    ),
    Check("GET", "/scorecards", EVERYONE),
    Check("GET", "/scorecards/download", EVERYONE, params={"format": "json"}),
    Check("GET", "/reports/monthly", STAFF),
    Check("GET", "/reports/monthly/{month}/{fmt}", STAFF, "/reports/monthly/{month}/html"),
    Check("GET", "/me/notices", EVERYONE),
    Check("POST", "/me/notices", EVERYONE, form={"mode": "digest"}),
    Check("GET", "/admin/webhooks", MANAGERS),
    Check(
        "POST", "/admin/webhooks", MANAGERS, form={"url": "http://127.0.0.1:9/other", "owner": "module:ACME"}
    ),
    Check("POST", "/admin/webhooks/{webhook_id}/remove", MANAGERS, "/admin/webhooks/{webhook}/remove"),
    Check("POST", "/admin/webhooks/{webhook_id}/test", MANAGERS, "/admin/webhooks/{webhook}/test"),
    Check("GET", "/account", EVERYONE),
    Check("POST", "/account/tokens", EVERYONE, form={"label": "laptop"}),
    Check(
        "POST",
        "/account/tokens/{token_id}/revoke",
        expect("admin vendor_a", hidden="pm auditor vendor_b"),
        "/account/tokens/{token}/revoke",
    ),
    Check("GET", "/admin/users/{name}", ADMINS, "/admin/users/vendor_b"),
    Check(
        "POST",
        "/admin/users/{name}",
        ADMINS,
        "/admin/users/vendor_b",
        form={"role": "vendor", "vendor": "Beta Systems", "locale": "zh_CN"},
    ),
    Check(
        "POST", "/admin/users/{name}/active", ADMINS, "/admin/users/vendor_b/active", form={"active": "false"}
    ),
    Check("POST", "/admin/users/{name}/password", ADMINS, "/admin/users/vendor_b/password"),
    Check(
        "POST",
        "/admin/tokens/{token_id}/revoke",
        ADMINS,
        "/admin/tokens/{token}/revoke",
        form={"owner": "vendor_a"},
    ),
    Check("GET", "/modules/{key}/pushes", READERS, "/modules/ACME/pushes"),
    Check("POST", "/modules/{key}/scan", ACME_MANAGERS, "/modules/ACME/scan"),
    Check("GET", "/admin/sso", AUDITORS),  # sign-in settings: admins and auditors read them
    Check("POST", "/admin/sso/mappings", ADMINS, form={"source": "oidc", "group": "qa", "role": "auditor"}),
    Check("POST", "/admin/sso/mappings/{mapping_id}/delete", ADMINS, "/admin/sso/mappings/{mapping}/delete"),
    Check("GET", "/duplication", EVERYONE),
]

MATRIX: list[Check] = API + PUBLIC_ROUTES + PAGES
