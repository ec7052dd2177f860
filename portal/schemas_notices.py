"""API shapes of notices: webhook subscriptions (secret masked, shown once at creation) and preferences.

A subscription is answered as the domain's own :class:`WebhookView` (a frozen dataclass FastAPI
serialises as it is): one definition of what every face shows of a webhook.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from governance.notices.preferences import Preferences
from governance.notices.subscriptions import WebhookView


class WebhookIn(BaseModel):
    """Subscribe a URL to one module's or one vendor's notices (exactly one of the two)."""

    url: str = Field(max_length=500)
    module: str | None = Field(default=None, max_length=40)
    vendor: str | None = Field(default=None, max_length=120)
    events: list[str] = Field(default_factory=list, max_length=20, description="Empty: every event.")
    secret: str | None = Field(default=None, max_length=200, description="Default: generated.")


class WebhookList(BaseModel):
    items: list[WebhookView]


class PingOut(BaseModel):
    delivered: bool
    status: int | None
    error: str | None


class PreferencesIn(BaseModel):
    email: str | None = Field(default=None, max_length=254)
    mode: str = Field(default="immediate", max_length=10, description="immediate or digest")
    events: list[str] = Field(default_factory=list, max_length=20)


class PreferencesOut(BaseModel):
    email: str | None
    mode: str
    events: list[str]
    offered: list[str]

    @classmethod
    def of(cls, prefs: Preferences) -> PreferencesOut:
        return cls(email=prefs.email, mode=prefs.mode, events=list(prefs.events), offered=list(prefs.offered))
