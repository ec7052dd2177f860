"""Tables of directory sign-in: the admin's group mappings and each directory user's identity."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from governance.modeltypes import created_at, json_column, optional_time


class GroupMapping(SQLModel, table=True):
    """A directory group that grants a role (and, for vendor users, a vendor).

    Mappings of one source are tried in ascending ``priority``, then in the order they were
    added (``id``); the first whose group the user holds decides. ``group_key`` is the
    group as compared: LDAP DNs lower-cased with the blanks around ``,`` and ``=`` taken out,
    OIDC claim values exactly as the provider sends them.
    """

    __tablename__ = "sso_group_mapping"
    __table_args__ = (sa.UniqueConstraint("source", "group_key", name="uq_sso_group_mapping_group"),)

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(max_length=10, index=True)
    group_name: str = Field(max_length=500)
    group_key: str = Field(max_length=500)
    priority: int = Field(default=100)
    role: str = Field(max_length=20)
    vendor_id: int | None = Field(default=None, foreign_key="vendor.id", index=True)
    created_by: str = Field(max_length=200)
    created_at: datetime = created_at()


class DirectoryIdentity(SQLModel, table=True):
    """The directory account behind a Govern user (one per user; such users have no password).

    ``subject`` is the LDAP entry's DN or the OIDC ``iss`` and ``sub``. ``locked`` is set when
    the directory took the user's access away (gone, or in no mapped group): then a later
    sign-in that the directory allows again reactivates the user, while a user an admin
    deactivated stays out.
    """

    __tablename__ = "sso_identity"
    __table_args__ = (sa.UniqueConstraint("source", "subject", name="uq_sso_identity_subject"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", unique=True, index=True)
    source: str = Field(max_length=10, index=True)
    subject: str = Field(max_length=600)
    groups: list[Any] = json_column([])
    locked: bool = Field(default=False)
    locked_reason: str | None = Field(default=None, max_length=200)
    last_login_at: datetime | None = optional_time()
    checked_at: datetime | None = optional_time()
    created_at: datetime = created_at()
