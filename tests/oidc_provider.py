"""A small, strict OpenID Connect provider for tests, served on a loopback port.

Discovery, JWKS, an authorization endpoint that signs in whichever ``account`` the test
set (no login form) and a token endpoint that checks the client's secret, the code (single
use, same redirect URI) and the PKCE verifier against the S256 challenge (RFC 7636, with
authlib's own ``create_s256_code_challenge``). ID tokens are RS256-signed with joserfc.
``mode`` makes it misbehave on purpose: ``expired``, ``wrong_audience``, ``wrong_nonce``,
``tampered`` (claims changed after signing), ``foreign_key`` (signed by a key not in the JWKS).
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlencode, urlparse

from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwt
from joserfc.jwk import RSAKey

from tests.servers import free_port


@dataclass
class Account:
    sub: str
    username: str
    groups: list[str]


@dataclass
class Provider:
    """State the test reads and changes; the HTTP handler serves it."""

    client_id: str = "govern-portal"
    client_secret: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    redirect_uris: set[str] = field(default_factory=set)
    account: Account | None = None
    mode: str = "ok"
    port: int = field(default_factory=free_port)
    key: RSAKey = field(
        default_factory=lambda: RSAKey.generate_key(2048, parameters={"kid": "k1", "alg": "RS256"})
    )
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    token_requests: list[dict[str, str]] = field(default_factory=list)

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
        }

    def authorize(self, query: dict[str, str]) -> tuple[int, dict[str, str]]:
        redirect = query.get("redirect_uri", "")
        if query.get("client_id") != self.client_id or redirect not in self.redirect_uris:
            return 400, {}
        if query.get("response_type") != "code" or "openid" not in query.get("scope", "").split():
            return 400, {}
        if query.get("code_challenge_method") != "S256" or not query.get("code_challenge"):
            return 400, {}
        answer = {"state": query.get("state", "")}
        if self.account is None:
            answer["error"] = "access_denied"
        else:
            code = secrets.token_urlsafe(16)
            self.codes[code] = {**query, "account": self.account}
            answer["code"] = code
        return 302, {"Location": f"{redirect}?{urlencode(answer)}"}

    def token(self, form: dict[str, str], authorization: str) -> tuple[int, dict[str, Any]]:
        self.token_requests.append(form)
        client_id, client_secret = _basic(authorization) or (form.get("client_id"), form.get("client_secret"))
        if (client_id, client_secret) != (self.client_id, self.client_secret):
            return 401, {"error": "invalid_client"}
        grant = self.codes.pop(form.get("code", ""), None)  # a code is good once
        if grant is None or form.get("grant_type") != "authorization_code":
            return 400, {"error": "invalid_grant"}
        if form.get("redirect_uri") != grant["redirect_uri"]:
            return 400, {"error": "invalid_grant"}
        if create_s256_code_challenge(form.get("code_verifier", "")) != grant["code_challenge"]:
            return 400, {"error": "invalid_grant", "error_description": "PKCE verifier does not match"}
        return 200, {
            "access_token": secrets.token_urlsafe(16),
            "token_type": "Bearer",
            "expires_in": 300,
            "id_token": self.id_token(grant["account"], grant.get("nonce", "")),
        }

    def id_token(self, account: Account, nonce: str) -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": self.client_id,
            "sub": account.sub,
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            "preferred_username": account.username,
            "groups": account.groups,
        }
        if self.mode == "expired":
            claims.update(iat=now - 7200, exp=now - 3600)
        elif self.mode == "wrong_audience":
            claims["aud"] = "another-client"
        elif self.mode == "wrong_nonce":
            claims["nonce"] = "not-the-nonce"
        key = self.key
        if self.mode == "foreign_key":
            key = RSAKey.generate_key(2048, parameters={"kid": "k1", "alg": "RS256"})
        token = jwt.encode({"alg": "RS256", "kid": "k1"}, claims, key)
        if self.mode == "tampered":  # the signature stays, the claims change: admin rights asked for
            header, _payload, signature = token.split(".")
            forged = {**claims, "groups": ["govern-admins"]}
            body = base64.urlsafe_b64encode(json.dumps(forged).encode()).rstrip(b"=").decode()
            token = f"{header}.{body}.{signature}"
        return token


def _basic(header: str) -> tuple[str, str] | None:
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    user, _, password = base64.b64decode(value).decode().partition(":")
    return unquote(user), unquote(password)


def _handler(provider: Provider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _send(
            self, status: int, body: dict[str, Any] | None = None, headers: dict[str, str] | None = None
        ) -> None:
            payload = json.dumps(body or {}).encode()
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def do_GET(self) -> None:
            url = urlparse(self.path)
            query = {key: values[0] for key, values in parse_qs(url.query).items()}
            if url.path == "/.well-known/openid-configuration":
                self._send(200, provider.discovery())
            elif url.path == "/jwks":
                self._send(200, {"keys": [provider.key.as_dict(private=False)]})
            elif url.path == "/authorize":
                status, headers = provider.authorize(query)
                self._send(status, headers=headers)
            else:
                self._send(404)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            form = {key: values[0] for key, values in parse_qs(self.rfile.read(length).decode()).items()}
            if urlparse(self.path).path != "/token":
                self._send(404)
                return
            status, body = provider.token(form, self.headers.get("Authorization", ""))
            self._send(status, body)

    return Handler


@contextmanager
def oidc_provider() -> Iterator[Provider]:
    """A running provider on a free loopback port, stopped at the end."""
    provider = Provider()
    server = ThreadingHTTPServer(("127.0.0.1", provider.port), _handler(provider))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield provider
    finally:
        server.shutdown()
        server.server_close()
