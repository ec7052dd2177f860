"""LDAP sign-in with ldap3: find the user (service-account search or a DN template), bind as
them with the password they typed, read the groups that hold them.

An empty password is refused before the directory is asked: an LDAP "simple bind" with an
empty password is an *unauthenticated* bind that many servers accept. User names are
checked against Govern's user-name rule and escaped in filters and DNs.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Literal, TypeAlias

from governance.errors import ExternalFailure, InvalidInput, said
from governance.registry import validation
from governance.sso.settings import DirectorySettings
from governance.sso.values import DirectoryLogin, Source

if TYPE_CHECKING:  # ldap3 is imported where the directory is asked, not whenever `govern` starts
    import ldap3

Scope: TypeAlias = Literal["BASE", "LEVEL", "SUBTREE"]


class Outcome(StrEnum):
    """What the directory said to a sign-in."""

    ok = "ok"
    missing = "missing"  # the directory has no such user
    rejected = "rejected"  # the directory refused the password


@dataclass(frozen=True)
class LdapAnswer:
    """The outcome, and who signed in (with their groups) when it is ``ok``."""

    outcome: Outcome
    login: DirectoryLogin | None = None


class LdapDirectory:
    """One configured directory; every call opens and closes its own connections."""

    def __init__(self, settings: DirectorySettings) -> None:
        if not settings.ldap_url:
            raise said(InvalidInput, "LDAP sign-in is off: set GOVERN_LDAP_URL")
        if not (settings.ldap_user_dn_template or (settings.ldap_user_base and settings.ldap_bind_dn)):
            raise said(
                InvalidInput,
                "LDAP needs GOVERN_LDAP_USER_DN_TEMPLATE, or GOVERN_LDAP_USER_BASE with GOVERN_LDAP_BIND_DN",
            )
        import ldap3

        self.settings = settings
        self.server = ldap3.Server(
            settings.ldap_url, get_info=ldap3.NONE, connect_timeout=settings.ldap_timeout
        )

    @property
    def can_search(self) -> bool:
        return bool(self.settings.ldap_bind_dn)

    @contextmanager
    def _bound(self, dn: str | None, password: str | None) -> Iterator[ldap3.Connection | None]:
        """A connection bound as ``dn`` (the service account when None), or None if the bind was refused."""
        import ldap3
        from ldap3.core.exceptions import LDAPException

        if dn is None:
            secret = self.settings.ldap_bind_password
            dn, password = self.settings.ldap_bind_dn, secret.get_secret_value() if secret else ""
        try:
            connection = ldap3.Connection(
                self.server,
                user=dn,
                password=password,
                read_only=True,
                receive_timeout=max(1, round(self.settings.ldap_timeout)),  # ldap3 packs it as an int
                raise_exceptions=False,
            )
            if self.settings.ldap_start_tls:
                connection.start_tls()
            bound = connection.bind()
        except LDAPException as exc:
            raise said(
                ExternalFailure,
                "the directory cannot be reached: %(error_type)s",
                error_type=type(exc).__name__,
            ) from None
        try:
            yield connection if bound else None
        finally:
            connection.unbind()

    def _service(self) -> AbstractContextManager[ldap3.Connection | None]:
        return self._bound(None, None)

    def _dns(self, connection: ldap3.Connection, base: str, query: str, scope: Scope) -> list[str]:
        from ldap3.core.exceptions import LDAPException

        try:
            connection.search(base, query, search_scope=scope, attributes=[], size_limit=100)
        except LDAPException as exc:
            raise said(
                ExternalFailure, "the directory search failed: %(error_type)s", error_type=type(exc).__name__
            ) from None
        return [item["dn"] for item in connection.response or [] if item.get("type") == "searchResEntry"]

    def _find_dn(self, username: str) -> str | None:
        """The user's entry, or None when the directory has no such user."""
        import ldap3
        from ldap3.utils.conv import escape_filter_chars
        from ldap3.utils.dn import escape_rdn

        template = self.settings.ldap_user_dn_template
        candidate = template.format(username=escape_rdn(username)) if template else None
        if candidate is not None and not self.can_search:
            return candidate  # without a service account, a missing user looks like a wrong password
        with self._service() as service:
            if service is None:
                raise said(
                    ExternalFailure, "the directory refused Govern's service account (GOVERN_LDAP_BIND_DN)"
                )
            if candidate is not None:
                return candidate if self._dns(service, candidate, "(objectClass=*)", ldap3.BASE) else None
            query = self.settings.ldap_user_filter.format(username=escape_filter_chars(username))
            found = self._dns(service, self.settings.ldap_user_base or "", query, ldap3.SUBTREE)
        return found[0] if len(found) == 1 else None

    def _groups(self, connection: ldap3.Connection, dn: str, username: str) -> tuple[str, ...]:
        import ldap3
        from ldap3.utils.conv import escape_filter_chars

        base = self.settings.ldap_group_base
        if not base:
            return ()
        query = self.settings.ldap_group_filter.format(
            dn=escape_filter_chars(dn), username=escape_filter_chars(username)
        )
        return tuple(self._dns(connection, base, query, ldap3.SUBTREE))

    def _login(self, connection: ldap3.Connection, dn: str, username: str) -> DirectoryLogin:
        return DirectoryLogin(
            source=Source.ldap, username=username, subject=dn, groups=self._groups(connection, dn, username)
        )

    def authenticate(self, username: str, password: str) -> LdapAnswer:
        """Bind as the user with ``password``; their groups on success."""
        try:
            username = validation.username(username.strip())
        except InvalidInput:
            return LdapAnswer(Outcome.missing)  # no directory entry can carry such a name here
        if not password:
            return LdapAnswer(Outcome.rejected)
        dn = self._find_dn(username)
        if dn is None:
            return LdapAnswer(Outcome.missing)
        with self._bound(dn, password) as connection:
            if connection is None:
                return LdapAnswer(Outcome.rejected)
            if self.can_search:  # groups are read by the service account, whatever users may read
                with self._service() as service:
                    return LdapAnswer(Outcome.ok, self._login(service or connection, dn, username))
            return LdapAnswer(Outcome.ok, self._login(connection, dn, username))

    def lookup(self, username: str) -> DirectoryLogin | None:
        """The user's entry and groups as the service account sees them (re-checks); None if gone."""
        if not self.can_search:
            raise said(
                InvalidInput, "re-checking directory users needs a service account: set GOVERN_LDAP_BIND_DN"
            )
        dn = self._find_dn(username)
        if dn is None:
            return None
        with self._service() as service:
            assert service is not None  # _find_dn bound it a moment ago
            return self._login(service, dn, username)
