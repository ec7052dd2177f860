"""``GOVERN_LDAP_*`` and ``GOVERN_OIDC_*``: directory sign-in, off unless configured.

A mixin of :class:`governance.config.Settings` (still one settings class): LDAP is on when
``GOVERN_LDAP_URL`` is set, OpenID Connect when ``GOVERN_OIDC_ISSUER`` is. Secrets are
``SecretStr`` so neither a log line nor an error page prints them.
"""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class DirectorySettings(BaseSettings):
    """LDAP and OpenID Connect settings (see README "One login")."""

    model_config = SettingsConfigDict(env_prefix="GOVERN_", extra="ignore")

    ldap_url: str | None = Field(default=None, description="e.g. ldaps://ldap.internal; unset: LDAP off.")
    ldap_start_tls: bool = Field(default=False, description="Upgrade an ldap:// connection with StartTLS.")
    ldap_bind_dn: str | None = Field(default=None, description="Service account that searches for users.")
    ldap_bind_password: SecretStr | None = Field(default=None, description="The service account's password.")
    ldap_user_base: str | None = Field(default=None, description="Where users are searched for.")
    ldap_user_filter: str = Field(
        default="(uid={username})", description="Search filter; {username} is escaped before use."
    )
    ldap_user_dn_template: str | None = Field(
        default=None, description="Bind straight as e.g. uid={username},ou=people,dc=x (no search)."
    )
    ldap_group_base: str | None = Field(default=None, description="Where groups are searched for.")
    ldap_group_filter: str = Field(
        default="(|(member={dn})(uniqueMember={dn})(memberUid={username}))",
        description="Groups holding the user; {dn} and {username} are escaped before use.",
    )
    ldap_recheck_minutes: float = Field(
        default=60.0, ge=0, description="The scheduler re-checks LDAP users this often (0: only at sign-in)."
    )
    ldap_timeout: float = Field(default=10.0, gt=0, description="Seconds to wait for the directory.")
    oidc_issuer: str | None = Field(default=None, description="The provider's issuer URL; unset: OIDC off.")
    oidc_discovery_url: str | None = Field(
        default=None, description="Default <issuer>/.well-known/openid-configuration."
    )
    oidc_client_id: str | None = None
    oidc_client_secret: SecretStr | None = None
    oidc_scopes: str = Field(default="openid profile email", description="Space-separated scopes.")
    oidc_group_claim: str = Field(default="groups", description="ID token claim listing the user's groups.")
    oidc_username_claim: str = Field(default="preferred_username", description="Claim giving the login name.")
    oidc_redirect_url: str | None = Field(
        default=None, description="Callback URL registered at the provider; default from the request."
    )
    oidc_display_name: str = Field(default="OpenID Connect", description="Shown on the login button.")

    @property
    def ldap_enabled(self) -> bool:
        return bool(self.ldap_url)

    @property
    def oidc_enabled(self) -> bool:
        return bool(self.oidc_issuer and self.oidc_client_id)

    @property
    def oidc_discovery(self) -> str:
        issuer = (self.oidc_issuer or "").rstrip("/")
        return self.oidc_discovery_url or f"{issuer}/.well-known/openid-configuration"
