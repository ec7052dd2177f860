"""Directory sign-in fixtures: vendors and the admin's group mappings, through the real services."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from governance.db import Database
from governance.registry import service as registry
from governance.sso import mapping as mappings
from tests.ldap_directory import group_dn


def map_groups(session: Session) -> None:
    """Acme and Beta; LDAP vendor-acme → vendor Acme, pms → pm (tried first); OIDC claim values too."""
    for name in ("Acme", "Beta"):
        registry.create_vendor(session, name=name, actor="setup")
    mappings.add_mapping(session, source="ldap", group=group_dn("pms"), role="pm", priority=10, actor="setup")
    mappings.add_mapping(
        session, source="ldap", group=group_dn("vendor-acme"), role="vendor", vendor="Acme", actor="setup"
    )
    mappings.add_mapping(session, source="oidc", group="govern-pms", role="pm", actor="setup")
    mappings.add_mapping(
        session, source="oidc", group="vendor-beta", role="vendor", vendor="Beta", actor="setup"
    )


@pytest.fixture
def mapped(database: Database) -> Database:
    with database.session() as session:
        map_groups(session)
    return database
