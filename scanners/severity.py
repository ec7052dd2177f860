"""The one severity scale every scanner, standard and report uses, most severe first."""

from __future__ import annotations

from typing import Literal

Severity = Literal["blocker", "critical", "major", "minor", "info"]
SEVERITIES: tuple[Severity, ...] = ("blocker", "critical", "major", "minor", "info")
