"""A scanner plugin for redelivery tests: it says when it holds a unit, then waits to be let go.

Installed into worker processes only, through an entry point in a throwaway dist-info
(:func:`install`), exactly as a third-party scanner is. ``scan`` writes
``started-<pid>`` into the configured folder, waits until ``release`` exists there, and
reports its pid as a metric, so a test knows which process held the unit, can kill it
while it holds it, and can tell which process finally delivered the result.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Any

from scanners.base import Batch, ScanResult
from scanners.rules import RuleDoc

NAME = "hold"
_POLL = 0.05  # how often a held unit looks for the release file (not a test timing)
_GIVE_UP = 300.0  # a held unit never outlives a forgotten test by more than this


class HoldScanner:
    """Holds each unit until the test releases it."""

    name = NAME
    cache_scope = "file"
    version = "1"
    config_digest = "hold"

    def __init__(self, config: dict[str, Any]) -> None:
        self.folder = Path(config["folder"])

    def applies_to(self, path: str) -> bool:
        return path.endswith(".hold")

    def rules(self) -> tuple[RuleDoc, ...]:
        return ()  # it reports no findings, only the pid of the process that held the unit

    def scan(self, batch: Batch) -> ScanResult:
        pid = os.getpid()
        (self.folder / f"started-{pid}").write_text(str(pid))
        released, idle = self.folder / "release", threading.Event()
        deadline = time.monotonic() + _GIVE_UP
        while not released.exists() and time.monotonic() < deadline:
            idle.wait(_POLL)  # polls a condition: the test creates the file
        (self.folder / f"finished-{pid}").write_text(str(pid))
        return ScanResult(metrics={f.path: {"hold.pid": float(pid)} for f in batch.files})


def install(site: Path) -> Path:
    """A dist-info under ``site`` whose entry point registers :class:`HoldScanner`."""
    info = site / "govern_hold_scanner-0.dist-info"
    info.mkdir(parents=True, exist_ok=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: govern-hold-scanner\nVersion: 0\n")
    (info / "entry_points.txt").write_text(
        f"[govern.scanners]\n{NAME} = tests.governance.executors.hold_scanner:HoldScanner\n"
    )
    return site
