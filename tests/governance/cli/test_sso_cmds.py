"""`govern sso map add|list|remove` and `govern sso recheck`."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from governance.config import Settings
from tests.conftest import CliResult
from tests.ldap_directory import Directory, group_dn

Govern = Callable[..., CliResult]


def test_map_add_list_remove(govern: Govern) -> None:
    assert govern("vendor", "add", "Acme").code == 0
    added = govern("sso", "map", "add", group_dn("vendor-acme"), "--role", "vendor", "--vendor", "Acme")
    assert added.code == 0 and "mapping #1" in added.out
    assert (
        govern("sso", "map", "add", "govern-pms", "--source", "oidc", "--role", "pm", "--priority", "5").code
        == 0
    )
    rows = json.loads(govern("sso", "map", "list", "--json").out)
    assert [(r["source"], r["group"], r["role"], r["vendor"]) for r in rows] == [
        ("ldap", group_dn("vendor-acme"), "vendor", "Acme"),
        ("oidc", "govern-pms", "pm", None),
    ]
    assert govern("sso", "map", "remove", "1").code == 0
    assert [r["id"] for r in json.loads(govern("sso", "map", "list", "--json").out)] == [2]
    audit = govern("audit", "log", "--json").out
    assert "sso.mapping_add" in audit and "sso.mapping_remove" in audit


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("cn=x", "--role", "vendor"), "needs a vendor"),
        (("cn=x", "--role", "pm", "--vendor", "Acme"), "take no vendor"),
        (("cn=x", "--role", "boss"), "invalid role"),
        (("cn=x", "--role", "pm", "--source", "saml"), "invalid source"),
        (("cn=x", "--role", "vendor", "--vendor", "Nobody"), "unknown vendor"),
    ],
)
def test_bad_mappings_exit_2_and_change_nothing(govern: Govern, args: tuple[str, ...], message: str) -> None:
    govern("vendor", "add", "Acme")
    result = govern("sso", "map", "add", *args)
    assert result.code == 2 and message in result.err
    assert json.loads(govern("sso", "map", "list", "--json").out) == []


def test_a_group_is_mapped_once_per_source_whatever_its_spelling(govern: Govern) -> None:
    assert govern("sso", "map", "add", "cn=PMs, ou=Groups,dc=x", "--role", "pm").code == 0
    again = govern("sso", "map", "add", "cn=pms,ou=groups,dc=x", "--role", "auditor")
    assert again.code == 2 and "already mapped" in again.err
    assert govern("sso", "map", "remove", "42").code == 2


def test_recheck_without_ldap_is_a_user_error(govern: Govern) -> None:
    result = govern("sso", "recheck")
    assert result.code == 2 and "GOVERN_LDAP_URL" in result.err


@pytest.mark.ldap
def test_recheck_revokes_a_user_gone_from_the_directory(
    govern: Govern, settings: Settings, ldap_directory: Directory, monkeypatch: pytest.MonkeyPatch
) -> None:
    from governance.db import open_database
    from governance.sso.ldap import LdapDirectory
    from governance.sso.service import ldap_sign_in
    from tests.governance.sso.conftest import map_groups

    overrides = ldap_directory.settings()
    for key, value in overrides.items():
        monkeypatch.setenv(
            f"GOVERN_{key.upper()}", str(getattr(value, "get_secret_value", lambda v=value: v)())
        )
    database = open_database(settings)
    with database.session() as session:
        map_groups(session)
        directory = LdapDirectory(settings.model_copy(update=overrides))
        for name in ("alice", "bob"):
            ldap_sign_in(session, directory=directory, username=name, password=f"{name}-pass", address="-")
    database.dispose()
    ldap_directory.delete_user("bob")
    result = govern("sso", "recheck", "--json")
    assert result.code == 0, result.err
    assert json.loads(result.out) == [
        {"user": "alice", "result": "kept"},
        {"user": "bob", "result": "revoked: not in the directory"},
    ]
