"""Credentials in a remote URL never leave the server (issue 15, row 3)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from governance.audit.models import AuditEvent
from governance.db import Database
from governance.errors import InvalidInput
from governance.registry import service as registry
from governance.registry.models import Module
from governance.registry.validation import redact_url
from tests.portal.conftest import World, bearer, login

SECRET = "ghp_s3cr3tT0ken"
URL = f"https://deploy:{SECRET}@git.vendor.example/acme/ledger.git"


@pytest.mark.parametrize(
    "url", [URL, f"https://{SECRET}@git.vendor.example/x.git", f"ssh://git:{SECRET}@host/x.git"]
)
def test_a_remote_with_credentials_is_refused(session, url: str) -> None:
    registry.create_vendor(session, name="Acme", actor="t")
    with pytest.raises(InvalidInput, match="credential"):
        registry.create_module(session, key="LED", vendor="Acme", remote=url, actor="t")
    assert SECRET not in " ".join(str(e.data) for e in session.exec(select(AuditEvent)).all())


def test_ssh_users_without_secrets_are_fine(session) -> None:
    registry.create_vendor(session, name="Acme", actor="t")
    module = registry.create_module(
        session, key="LED", vendor="Acme", remote="ssh://git@host/x.git", actor="t"
    )
    assert module.remote == "ssh://git@host/x.git"


def test_redaction() -> None:
    assert SECRET not in redact_url(URL) and "git.vendor.example/acme/ledger.git" in redact_url(URL)
    assert redact_url("ssh://git@host/x.git") == "ssh://git@host/x.git"


def test_a_stored_credential_is_shown_nowhere(
    app_client: TestClient, world: World, database: Database
) -> None:
    """Rows written before the refusal existed: the API and the admin page redact them."""
    with database.session() as session:
        module = session.exec(select(Module).where(Module.key == "ACME")).one()
        module.remote = URL
    api = app_client.get("/api/v1/modules/ACME", headers=bearer(world, "vendor_a"))
    assert api.status_code == 200 and SECRET not in api.text and "git.vendor.example" in api.text
    login(app_client, "admin")
    page = app_client.get("/admin")
    assert SECRET not in page.text and "git.vendor.example" in page.text
