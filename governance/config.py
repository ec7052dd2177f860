"""Settings from ``GOVERN_*`` environment variables (and CLI flags), with safe defaults.

One settings class, built by :func:`load_settings` and passed down explicitly: nothing
reads the environment at import time.
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path
from typing import Literal, TypeAlias

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from governance.registry import validation
from governance.sso.settings import DirectorySettings

IPNetwork: TypeAlias = ipaddress.IPv4Network | ipaddress.IPv6Network
#: The languages the CLI speaks (``--lang``, ``GOVERN_LANG``); the portal negotiates its own per request.
Language: TypeAlias = Literal["en", "zh-CN"]


class Settings(DirectorySettings, BaseSettings):
    """Everything an operator can configure; see README "Configuration" (directory sign-in: "One login")."""

    model_config = SettingsConfigDict(env_prefix="GOVERN_", extra="ignore")

    data_dir: Path = Field(default=Path("govern-data"), description="Where Govern keeps its state.")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default: SQLite file in the data directory."
    )
    executor: Literal["local", "celery"] = "local"
    broker_url: str = "redis://127.0.0.1:6379/0"
    result_backend: str | None = Field(default=None, description="Celery results; default: the broker.")
    celery_visibility_timeout: int = Field(
        default=3600, ge=5, description="Seconds before an unacknowledged unit is delivered again."
    )
    profiles_dir: Path | None = Field(
        default=None, description="Organisation profiles; default <data_dir>/profiles."
    )
    standards_dir: Path | None = Field(
        default=None,
        description="Organisation standards (beside the six built-ins); default <data_dir>/standards.",
    )
    scan_lease_seconds: int = Field(default=120, ge=5, description="A scan's coordinator renews its lease.")
    workers: int | None = Field(default=None, ge=1, description="Local pool size; default: cores.")
    db_pool_size: int = Field(
        default=12,
        ge=1,
        le=200,
        description="Database connections kept open per process (at least GOVERN_PORTAL_THREADS).",
    )
    portal_threads: int = Field(
        default=8,
        ge=1,
        le=64,
        description="Requests a portal process runs at once (its route threads).",
    )
    secret_key: str | None = Field(default=None, description="Signs portal sessions.")
    base_url: str | None = Field(
        default=None,
        description="External base URL of the portal (clone/push URLs); default: the request's own.",
    )
    log_level: str = "INFO"
    lang: Language | None = Field(
        default=None,
        description="Language of the govern CLI; default: the locale (LC_ALL, LC_MESSAGES, LANG).",
    )
    session_hours: float = Field(default=12.0, gt=0, description="A portal login lasts this long at most.")
    login_limit_account: int = Field(default=5, ge=1, description="Login attempts per account per window.")
    login_limit_address: int = Field(
        default=50, ge=1, description="Login attempts per client address per window (all accounts)."
    )
    login_window_seconds: int = Field(default=900, ge=1, description="The login limits' window.")
    trusted_proxies: str = Field(
        default="",
        description="Comma-separated addresses/networks whose X-Forwarded-For is believed; none by default.",
    )
    secure_cookies: bool = Field(
        default=False, description="Behind TLS: Secure cookies and Strict-Transport-Security."
    )
    audit_key_file: Path | None = Field(
        default=None, description="Key signing audit checkpoints; default <data_dir>/keys/audit.key."
    )
    audit_checkpoint_dir: Path | None = Field(
        default=None, description="Where signed audit checkpoints go; default <data_dir>/audit-checkpoints."
    )
    snapshot_key_file: Path | None = Field(
        default=None, description="Ed25519 key signing snapshots; default <data_dir>/keys/snapshot.key."
    )
    audit_checkpoint_minutes: float = Field(
        default=60.0, gt=0, description="How often the scheduler writes an audit checkpoint."
    )
    smtp_host: str | None = Field(
        default=None, description="Mail server for notices; none: no e-mail is sent."
    )
    smtp_port: int = Field(default=25, ge=1, le=65535, description="The mail server's port.")
    smtp_user: str | None = Field(default=None, description="SMTP login (with GOVERN_SMTP_PASSWORD).")
    smtp_password: SecretStr | None = Field(default=None, description="SMTP password.")
    smtp_from: str = Field(default="govern@localhost", description="The notices' From address.")
    smtp_starttls: bool = Field(default=False, description="Upgrade the SMTP connection with STARTTLS.")
    smtp_timeout: float = Field(default=20.0, gt=0, description="Seconds before a mail server is given up.")
    notice_max_attempts: int = Field(default=8, ge=1, description="Tries of a notice before it is failed.")
    notice_retry_seconds: float = Field(
        default=60.0, gt=0, description="First retry delay of a notice; doubled after each failure."
    )
    notice_portal_url: str | None = Field(
        default=None, description="The portal's address, for links in notices (e.g. https://govern.example)."
    )
    waiver_expiry_notice_days: int = Field(
        default=7, ge=1, description="Days before a waiver expires that its notice goes out (once)."
    )

    @field_validator("data_dir")
    @classmethod
    def _absolute(cls, value: Path) -> Path:
        return value.expanduser().resolve()

    @field_validator("base_url")
    @classmethod
    def _base_url(cls, value: str | None) -> str | None:
        return validation.base_url(value)

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: str) -> str:
        _parse_networks(value)  # refuse a typo at start-up, not at the first login
        return value

    @property
    def proxy_networks(self) -> tuple[IPNetwork, ...]:
        return _parse_networks(self.trusted_proxies)

    @property
    def effective_audit_key_file(self) -> Path:
        return self.audit_key_file or self.data_dir / "keys" / "audit.key"

    @property
    def effective_snapshot_key_file(self) -> Path:
        return self.snapshot_key_file or self.data_dir / "keys" / "snapshot.key"

    @property
    def effective_checkpoint_dir(self) -> Path:
        return self.audit_checkpoint_dir or self.data_dir / "audit-checkpoints"

    @property
    def effective_database_url(self) -> str:
        """The configured URL, or the embedded SQLite file under the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'govern.db'}"

    @property
    def result_backend_url(self) -> str:
        return self.result_backend or self.broker_url

    @property
    def is_sqlite(self) -> bool:
        return self.effective_database_url.startswith("sqlite")

    @property
    def worker_count(self) -> int:
        return self.workers or max(os.cpu_count() or 1, 1)


def _parse_networks(value: str) -> tuple[IPNetwork, ...]:
    try:
        return tuple(
            ipaddress.ip_network(part.strip(), strict=False) for part in value.split(",") if part.strip()
        )
    except ValueError as exc:
        raise ValueError(f"GOVERN_TRUSTED_PROXIES: {exc}") from exc


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment, with explicit overrides (CLI flags) winning."""
    clean = {key: value for key, value in overrides.items() if value is not None}
    return Settings(**clean)  # type: ignore[arg-type]
