"""Settings from ``GOVERN_*`` environment variables (and CLI flags), with safe defaults.

One settings class, built by :func:`load_settings` and passed down explicitly: nothing
reads the environment at import time.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything an operator can configure; see README "Configuration"."""

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
    secret_key: str | None = Field(default=None, description="Signs portal sessions.")
    log_level: str = "INFO"

    @field_validator("data_dir")
    @classmethod
    def _absolute(cls, value: Path) -> Path:
        return value.expanduser().resolve()

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


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment, with explicit overrides (CLI flags) winning."""
    clean = {key: value for key, value in overrides.items() if value is not None}
    return Settings(**clean)  # type: ignore[arg-type]
