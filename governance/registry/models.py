"""Vendors, modules, users and API tokens: who delivers what, and who may see it."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from governance.modeltypes import created_at, json_column, optional_time


class Role(StrEnum):
    """What a user may do; enforced in :mod:`governance.access`."""

    admin = "admin"
    pm = "pm"
    vendor = "vendor"
    auditor = "auditor"


class Vendor(SQLModel, table=True):
    """An outside company that builds modules for the organisation."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120, unique=True, index=True)
    contact: str | None = Field(default=None, max_length=200)
    created_at: datetime = created_at()


class Module(SQLModel, table=True):
    """An application module: one central repository, one vendor, one standards profile.

    ``remote`` is None for modules fed by vendor pushes; sync fields record the last
    mirror attempt so a broken remote is visible without reading logs.
    """

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=40, unique=True, index=True)
    name: str = Field(default="", max_length=200)
    vendor_id: int = Field(foreign_key="vendor.id", index=True)
    remote: str | None = Field(default=None, max_length=500)
    default_branch: str = Field(default="main", max_length=200)
    requirement_prefix: str = Field(max_length=20)
    requirement_pattern: str | None = Field(default=None, max_length=200)
    profile: str = Field(default="default", max_length=120)
    schedule: str | None = Field(default=None, max_length=120)
    settings: dict[str, Any] = json_column()
    lines_of_code: int = Field(default=0)
    languages: dict[str, Any] = json_column()
    last_sync_at: datetime | None = optional_time()
    last_sync_status: str | None = Field(default=None, max_length=20)
    last_sync_message: str | None = Field(default=None, max_length=2000)
    # The wording of last_sync_message ({"msgid", "args"}, scanners.wording), translated on pages.
    last_sync_wording: dict[str, Any] | None = Field(
        default=None,
        sa_type=sa.JSON,
        sa_column_kwargs={"doc": "msgid and args of last_sync_message, for pages to translate"},
    )
    created_at: datetime = created_at()


class User(SQLModel, table=True):
    """A person or machine account; vendors are scoped to one vendor."""

    __tablename__ = "app_user"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120, unique=True, index=True)
    role: Role = Field(max_length=20)
    vendor_id: int | None = Field(default=None, foreign_key="vendor.id", index=True)
    password_hash: str | None = Field(default=None, max_length=300)
    locale: str | None = Field(default=None, max_length=10)
    active: bool = Field(default=True)
    created_at: datetime = created_at()


class ApiToken(SQLModel, table=True):
    """A bearer token, stored only as a SHA-256 digest (tokens are random, 256 bits)."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    prefix: str = Field(max_length=16)
    label: str | None = Field(default=None, max_length=120)
    created_at: datetime = created_at()
    last_used_at: datetime | None = optional_time()
    expires_at: datetime | None = optional_time()  # None: valid until revoked
    revoked_at: datetime | None = optional_time()
