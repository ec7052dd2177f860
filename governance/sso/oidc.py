"""OpenID Connect sign-in: authorization-code flow with PKCE (S256), state and nonce.

The authorization request and the code exchange go through authlib's OAuth 2 client; the
ID token is checked with joserfc (authlib's JOSE successor) against the provider's JWKS:
signature (asymmetric algorithms only, never ``none`` or a shared-secret HMAC), ``iss``,
``aud`` (and ``azp`` when several audiences), ``exp``/``iat`` with a minute of leeway,
``sub`` and the ``nonce`` of this browser's attempt. Discovery and keys are fetched once per
portal and the keys again when a token names a key id not yet seen (key rotation).
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from governance.errors import ExternalFailure, InvalidInput, Unauthenticated, said
from governance.sso.settings import DirectorySettings
from governance.sso.values import DirectoryLogin, Source
from governance.timeutil import utcnow

if TYPE_CHECKING:
    # httpx, requests, authlib and joserfc (cryptography behind it) cost about a fifth of a
    # second at import: each is imported by the step that talks to the provider, not by
    # every `govern` command that reaches this module.
    from authlib.integrations.requests_client import OAuth2Session
    from joserfc.jwk import KeySet

ASYMMETRIC = frozenset(
    {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}
)
LEEWAY_SECONDS = 60
TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class PendingLogin:
    """What this browser's attempt must match on return; kept in a signed short-lived cookie."""

    state: str
    nonce: str
    code_verifier: str
    redirect_uri: str
    next: str


def _refused(reason: str) -> Unauthenticated:
    return said(Unauthenticated, "the identity provider's answer was refused: %(reason)s", reason=reason)


class OidcProvider:
    """One configured provider; ``clock`` is injectable so tests move time instead of waiting."""

    def __init__(self, settings: DirectorySettings, *, clock: Callable[[], datetime] = utcnow) -> None:
        if not (settings.oidc_issuer and settings.oidc_client_id):
            raise said(
                InvalidInput, "OpenID Connect is off: set GOVERN_OIDC_ISSUER and GOVERN_OIDC_CLIENT_ID"
            )
        self.settings, self.clock = settings, clock
        self.issuer, self.client_id = settings.oidc_issuer, settings.oidc_client_id
        self._metadata: dict[str, Any] | None = None
        self._keys: KeySet | None = None

    def _get(self, url: str) -> dict[str, Any]:
        import httpx

        try:
            response = httpx.get(url, timeout=TIMEOUT_SECONDS, follow_redirects=False)
            response.raise_for_status()
            body = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise said(
                ExternalFailure,
                "the identity provider cannot be reached: %(error_type)s",
                error_type=type(exc).__name__,
            ) from None
        if not isinstance(body, dict):
            raise said(ExternalFailure, "the identity provider sent no JSON object from %(url)s", url=url)
        return body

    def metadata(self) -> dict[str, Any]:
        """The discovery document, whose issuer must be the configured one."""
        if self._metadata is None:
            found = self._get(self.settings.oidc_discovery)
            if found.get("issuer") != self.issuer:
                raise said(
                    ExternalFailure,
                    "the discovery document names issuer %(found)s, not %(issuer)s",
                    found=repr(found.get("issuer")),
                    issuer=repr(self.issuer),
                )
            self._metadata = found
        return self._metadata

    def _keyset(self, kid: str | None) -> KeySet:
        from joserfc.errors import JoseError
        from joserfc.jwk import KeySet

        if self._keys is None or (kid is not None and not any(key.kid == kid for key in self._keys.keys)):
            try:
                self._keys = KeySet.import_key_set(cast(Any, self._get(self.metadata()["jwks_uri"])))
            except (JoseError, KeyError, ValueError) as exc:
                raise said(
                    ExternalFailure, "the identity provider's keys are unusable: %(error)s", error=str(exc)
                ) from None
        return self._keys

    def _session(self, redirect_uri: str) -> OAuth2Session:
        from authlib.integrations.requests_client import OAuth2Session

        secret = self.settings.oidc_client_secret
        return OAuth2Session(
            self.client_id,
            secret.get_secret_value() if secret else None,
            scope=self.settings.oidc_scopes,
            redirect_uri=redirect_uri,
            code_challenge_method="S256",
            default_timeout=TIMEOUT_SECONDS,
        )

    def begin(self, *, redirect_uri: str, next_path: str) -> tuple[str, PendingLogin]:
        """The provider's authorization URL and what the return must match."""
        pending = PendingLogin(
            state=secrets.token_urlsafe(32),
            nonce=secrets.token_urlsafe(32),
            code_verifier=secrets.token_urlsafe(64),
            redirect_uri=redirect_uri,
            next=next_path,
        )
        url, _state = self._session(redirect_uri).create_authorization_url(
            self.metadata()["authorization_endpoint"],
            state=pending.state,
            nonce=pending.nonce,
            code_verifier=pending.code_verifier,
        )
        return str(url), pending

    def finish(self, pending: PendingLogin, *, state: str, code: str) -> DirectoryLogin:
        """Exchange the code (with the PKCE verifier) and check the ID token; who signed in."""
        import requests
        from authlib.integrations.base_client.errors import OAuthError

        if not (state and hmac.compare_digest(state.encode(), pending.state.encode())):
            raise said(Unauthenticated, "the sign-in did not start here or has expired: try again")
        try:
            token = self._session(pending.redirect_uri).fetch_token(
                self.metadata()["token_endpoint"], code=code, code_verifier=pending.code_verifier
            )
        except (OAuthError, requests.RequestException, ValueError, KeyError) as exc:
            raise _refused(f"the code exchange failed ({type(exc).__name__})") from None
        raw = token.get("id_token") if isinstance(token, dict) else None
        if not isinstance(raw, str):
            raise _refused("no ID token")
        return self._login(self.validate_id_token(raw, nonce=pending.nonce))

    def _algorithms(self) -> list[str]:
        offered = self.metadata().get("id_token_signing_alg_values_supported") or ["RS256"]
        return sorted(ASYMMETRIC.intersection(offered)) or ["RS256"]

    def validate_id_token(self, raw: str, *, nonce: str) -> dict[str, Any]:
        """The ID token's claims, or Unauthenticated naming what was wrong."""
        from joserfc import jws, jwt
        from joserfc.errors import JoseError

        try:
            kid = jws.extract_compact(raw.encode()).protected.get("kid")
            token = jwt.decode(raw, self._keyset(kid), algorithms=self._algorithms())
            claims: dict[str, Any] = dict(token.claims)
            jwt.JWTClaimsRegistry(
                now=int(self.clock().timestamp()),
                leeway=LEEWAY_SECONDS,
                iss={"essential": True, "value": self.issuer},
                aud={"essential": True, "value": self.client_id},
                exp={"essential": True},
                sub={"essential": True},
                nonce={"essential": True, "value": nonce},
            ).validate(claims)
        except (JoseError, ValueError) as exc:
            raise _refused(f"invalid ID token ({getattr(exc, 'error', type(exc).__name__)})") from None
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != self.client_id:
            raise _refused("invalid ID token (azp)")
        return claims

    def _login(self, claims: dict[str, Any]) -> DirectoryLogin:
        username = claims.get(self.settings.oidc_username_claim)
        if not isinstance(username, str) or not username.strip():
            raise _refused(f"no {self.settings.oidc_username_claim} claim")
        groups = claims.get(self.settings.oidc_group_claim) or []
        groups = [groups] if isinstance(groups, str) else groups
        return DirectoryLogin(
            source=Source.oidc,
            username=username.strip(),
            subject=f"{claims['iss']} {claims['sub']}",
            groups=tuple(str(group) for group in groups if isinstance(group, str)),
        )
