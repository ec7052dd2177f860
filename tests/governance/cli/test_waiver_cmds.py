"""`govern waivers …` on a real scan: request, queue, approve, list, revoke; refusals exit 2."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from governance.audit.models import AuditEvent
from governance.registry import service as registry
from governance.scans.models import Finding
from tests.governance.scans.conftest import pay_module, scan_now, vendor_repo  # noqa: F401

pytestmark = pytest.mark.slow


@pytest.fixture
def fingerprint(database, pay_module, scan_now) -> str:  # noqa: F811
    scan = scan_now(pay_module)
    with database.session() as session:
        registry.create_user(session, name="acme-dev", role="vendor", vendor="Acme Soft", actor="t")
        registry.create_user(session, name="pm", role="pm", actor="t")
        registry.create_user(session, name="aud", role="auditor", actor="t")
        rows = session.exec(select(Finding).where(Finding.scan_id == scan.id)).all()
        return next(f.fingerprint for f in rows if f.rule == "bandit:B105")


def test_request_approve_list_revoke(govern, database, fingerprint) -> None:
    asked = govern(
        "waivers",
        "request",
        "PAY",
        "--fingerprint",
        fingerprint,
        "--reason",
        "a test fixture value",
        "--as",
        "acme-dev",
    )
    assert (asked.code, asked.out) == (0, "waiver #1 requested (requested)\n"), asked.err
    queue = json.loads(govern("waivers", "queue", "--as", "pm", "--json").out)
    assert [(w["id"], w["finding"]["rule"]) for w in queue] == [(1, "bandit:B105")]
    approved = govern(
        "waivers",
        "approve",
        "1",
        "--reason",
        "checked with the vendor",
        "--expires",
        "2099-01-01",
        "--as",
        "pm",
    )
    assert approved.code == 2 and "within 366 days" in approved.err, "beyond the limit: refused"
    approved = govern("waivers", "approve", "1", "--reason", "checked with the vendor", "--as", "pm")
    assert approved.code == 0 and approved.out.startswith("waiver #1 approved (approved until ")
    listed = json.loads(govern("waivers", "list", "PAY", "--as", "aud", "--json").out)
    assert listed[0]["state"] == "approved" and listed[0]["approver"] == "pm"
    assert "checked" not in govern("waivers", "list", "PAY", "--as", "aud").err
    revoked = govern("waivers", "revoke", "1", "--reason", "the vendor fixed it", "--as", "pm")
    assert (revoked.code, revoked.out) == (
        0,
        "waiver #1 revoked (revoked until " + approved.out.split("until ")[1],
    )
    with database.session() as session:
        actions = [e.action for e in session.exec(select(AuditEvent)).all() if e.action.startswith("waiver.")]
    assert actions == ["waiver.requested", "waiver.approved", "waiver.revoked"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            (
                "waivers",
                "request",
                "PAY",
                "--rule",
                "DEV-004",
                "--reason",
                "an auditor asking",
                "--as",
                "aud",
            ),
            "not allowed",
        ),
        (("waivers", "request", "PAY", "--rule", "DEV-004", "--reason", "nobody said who"), "--as USER"),
        (
            ("waivers", "request", "PAY", "--rule", "DEV-004", "--reason", "short", "--as", "pm"),
            "at least 10",
        ),
        (("waivers", "approve", "7", "--reason", "no such waiver here", "--as", "pm"), "unknown waiver #7"),
        (
            ("waivers", "approve", "7", "--reason", "bad date", "--expires", "soon", "--as", "pm"),
            "YYYY-MM-DD",
        ),
    ],
)
def test_refusals_exit_2_and_change_nothing(
    govern, database, fingerprint, monkeypatch, args, message
) -> None:
    monkeypatch.delenv("GOVERN_USER", raising=False)
    result = govern(*args)
    assert result.code == 2 and message in result.err and "Traceback" not in result.err
    with database.session() as session:
        assert not [e for e in session.exec(select(AuditEvent)).all() if e.action.startswith("waiver.")]
