"""Ed25519 signing of review snapshots, with the key kept in a file outside the database.

The private key lives in ``GOVERN_SNAPSHOT_KEY_FILE`` (default ``<data dir>/keys/snapshot.key``,
PEM, 0600, made once); every bundle carries its public key, and a verifier may pin the key
it expects (its SHA-256 fingerprint or the PEM file) so a bundle re-signed with another key
is refused. Rotation: move the old key file away, the next snapshot makes a new one; keep
the old public key (``govern snapshot key``) to verify the bundles it signed.
"""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

from governance.config import Settings
from governance.errors import InvalidInput, said

if TYPE_CHECKING:  # cryptography is imported where a key is used: `govern` starts without it
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey


def private_key(settings: Settings) -> Ed25519PrivateKey:
    """The signing key, created once (0600, in a 0700 folder) when the file does not exist."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    path = settings.effective_snapshot_key_file
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(pem)
        except FileExistsError:  # another process made it first
            pass
    loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(loaded, Ed25519PrivateKey):
        raise said(InvalidInput, "%(path)s: not an Ed25519 private key", path=str(path))
    return loaded


def public_raw(key: Ed25519PrivateKey) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_fingerprint(raw: bytes) -> str:
    """How a person names a public key: ``sha256:<hex>`` of its 32 raw bytes."""
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def public_pem(raw: bytes) -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    return (
        Ed25519PublicKey.from_public_bytes(raw)
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def pinned_raw(pin: str) -> str:
    """A pin given as a fingerprint (``sha256:…``) or a PEM public key file, as a fingerprint."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    if pin.startswith("sha256:"):
        return pin.lower()
    path = Path(pin)
    if not path.is_file():
        raise said(
            InvalidInput,
            "--public-key %(pin)s: neither a 'sha256:…' fingerprint nor a PEM file",
            pin=repr(pin),
        )
    try:
        loaded = serialization.load_pem_public_key(path.read_bytes())
    except ValueError as exc:
        raise said(
            InvalidInput, "%(pin)s: not a PEM public key: %(error)s", pin=str(pin), error=str(exc)
        ) from None
    if not isinstance(loaded, Ed25519PublicKey):
        raise said(InvalidInput, "%(pin)s: not an Ed25519 public key", pin=str(pin))
    return key_fingerprint(loaded.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))


def sign(key: Ed25519PrivateKey, payload: bytes) -> str:
    return base64.b64encode(key.sign(payload)).decode()


def strict_b64(text: str) -> bytes:
    """Decode base64 that is written exactly as :func:`base64.b64encode` writes it.

    The last character before ``=`` padding carries bits the decoder ignores, so several
    texts decode to the same bytes; a snapshot's signature must be the one text that was
    written, or a changed file would still verify. Raises ValueError otherwise.
    """
    decoded = base64.b64decode(text, validate=True)
    if base64.b64encode(decoded).decode() != text:
        raise ValueError("not canonical base64")
    return decoded


def signature_ok(public: bytes, signature: str, payload: bytes) -> bool:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        Ed25519PublicKey.from_public_bytes(public).verify(strict_b64(signature), payload)
    except (InvalidSignature, ValueError):
        return False
    return True
