"""API shapes of vendor self-service: tokens, users (admin), the push log, "scan now"."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from governance.mirrors.push_log import PushView
from governance.registry.models import User, Vendor
from governance.registry.tokens import TokenView


class TokenIn(BaseModel):
    """A new token: what it is for, an optional last day (``YYYY-MM-DD``); admins may name its owner."""

    label: str | None = Field(default=None, max_length=120)
    expires: str | None = Field(default=None, max_length=10, description="Last valid day, YYYY-MM-DD")
    user: str | None = Field(default=None, max_length=120, description="Owner (admins only)")


class TokenOut(BaseModel):
    """A token without its secret."""

    id: int
    user: str
    prefix: str
    label: str | None
    state: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def of(cls, view: TokenView) -> TokenOut:
        return cls(
            id=view.id,
            user=view.owner,
            prefix=view.prefix,
            label=view.label,
            state=view.state,
            created_at=view.created_at,
            last_used_at=view.last_used_at,
            expires_at=view.expires_at,
            revoked_at=view.revoked_at,
        )


class TokenCreated(BaseModel):
    """The plaintext appears here once; Govern keeps only its hash."""

    token: str
    user: str
    label: str | None
    expires_at: datetime | None


class UserOut(BaseModel):
    """A user as admins see them."""

    name: str
    role: str
    vendor: str | None
    locale: str | None
    active: bool

    @classmethod
    def of(cls, user: User, vendors: dict[int, Vendor]) -> UserOut:
        vendor = vendors.get(user.vendor_id) if user.vendor_id is not None else None
        return cls(
            name=user.name,
            role=user.role.value,
            vendor=vendor.name if vendor else None,
            locale=user.locale,
            active=user.active,
        )


class UserUpdate(BaseModel):
    """Fields left out keep their value; ``vendor``/``locale`` set to null clear it."""

    role: str | None = Field(default=None, max_length=20)
    vendor: str | None = Field(default=None, max_length=120)
    locale: str | None = Field(default=None, max_length=10)


class PasswordReset(BaseModel):
    """A generated password, shown once; every session of the user has ended."""

    user: str
    password: str


class PushPageOut(BaseModel):
    """One page of a module's push log, newest first (each push as every face shows it)."""

    items: list[PushView]
    total: int
    limit: int
    offset: int


class ScanQueuedOut(BaseModel):
    """The scan that will run: a new one, or the queued/running one that absorbed the request."""

    scan_id: int
    module: str
    branch: str | None
    status: str
    new: bool
