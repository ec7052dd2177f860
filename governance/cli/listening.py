"""How a portal process listens: uvicorn's settings for ``govern serve`` and each of its workers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from governance.config import Settings

if TYPE_CHECKING:
    import uvicorn


@dataclass(frozen=True)
class Listen:
    """Where and how a portal process serves (picklable: each of ``--workers N`` gets it)."""

    host: str
    port: int
    access_log: bool = True

    def config(self, app: Any, settings: Settings) -> uvicorn.Config:
        """uvicorn's settings; its own proxy-header handling is off (it trusts 127.0.0.1 by default).

        The portal reads ``X-Forwarded-For`` itself, only from ``GOVERN_TRUSTED_PROXIES``.
        """
        import uvicorn  # imported here: every other command (and each git hook) starts faster without it

        return uvicorn.Config(
            app,
            host=self.host,
            port=self.port,
            log_level=settings.log_level.lower(),
            proxy_headers=False,
            server_header=False,
            access_log=self.access_log,
        )
