"""Directory sign-in is off by default and refuses half a configuration."""

from __future__ import annotations

from pathlib import Path

import pytest

from governance.config import Settings
from governance.errors import InvalidInput
from governance.sso.jobs import directory_jobs
from governance.sso.ldap import LdapDirectory
from governance.sso.oidc import OidcProvider
from governance.sso.values import Source, group_key


def test_off_by_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("GOVERN_LDAP_URL", "GOVERN_OIDC_ISSUER", "GOVERN_OIDC_CLIENT_ID"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings(data_dir=tmp_path)
    assert not settings.ldap_enabled and not settings.oidc_enabled
    assert directory_jobs(None, settings) == []  # type: ignore[arg-type]


def test_settings_come_from_the_environment_and_hide_secrets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOVERN_OIDC_ISSUER", "https://sso.example.org/realms/gov")
    monkeypatch.setenv("GOVERN_OIDC_CLIENT_ID", "govern")
    monkeypatch.setenv("GOVERN_OIDC_CLIENT_SECRET", "s3cret-value")
    settings = Settings(data_dir=tmp_path)
    assert settings.oidc_enabled
    assert settings.oidc_discovery == "https://sso.example.org/realms/gov/.well-known/openid-configuration"
    assert "s3cret-value" not in repr(settings)


def test_half_configurations_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="GOVERN_LDAP_USER_DN_TEMPLATE"):
        LdapDirectory(Settings(data_dir=tmp_path, ldap_url="ldap://127.0.0.1:1"))
    with pytest.raises(InvalidInput, match="GOVERN_OIDC_ISSUER"):
        OidcProvider(Settings(data_dir=tmp_path, oidc_client_id="x"))


def test_group_keys() -> None:
    assert group_key(Source.ldap, "CN=Vendor-Acme, OU=Groups,DC=x") == "cn=vendor-acme,ou=groups,dc=x"
    assert group_key(Source.oidc, " Govern-PMs ") == "Govern-PMs"
