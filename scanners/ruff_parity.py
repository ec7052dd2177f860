"""The measured parity table: which ruff codes report exactly what their pylint/bandit twin does.

``scanners/ruff_parity.yaml`` is written by ``benchmarks/bench_ruff_parity.py`` from real runs
of pylint, bandit and ruff on released code (the corpus is named in the file). Each entry
counts findings by (path, line): found by both, only by the twin, only by ruff; ``identical``
is true only where both found some and neither found one the other missed, and where the
twin's severity was the same on every finding (bandit grades some tests per finding, which
ruff cannot reproduce). The table is data, read here once per process; its digest is part of
the ruff scanner's version, so a re-measured table misses cached results.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from scanners.errors import ScannerConfigError
from scanners.severity import SEVERITIES, Severity

PARITY_FILE = Path(__file__).with_name("ruff_parity.yaml")


@dataclass(frozen=True, slots=True)
class Parity:
    """One ruff code against its twin, as measured."""

    code: str
    twin: str
    basis: str
    both: int
    only_twin: int
    only_ruff: int
    severity: Severity | None
    identical: bool

    @staticmethod
    def judged(both: int, only_twin: int, only_ruff: int, severities: set[str]) -> bool:
        """Identical: both tools found something, neither missed one, one severity throughout."""
        return both > 0 and only_twin == 0 and only_ruff == 0 and len(severities) == 1


@dataclass(frozen=True, slots=True)
class ParityTable:
    """The whole table and what it was measured on."""

    corpus: str
    tools: dict[str, str]
    entries: tuple[Parity, ...]
    digest: str

    @property
    def codes(self) -> tuple[str, ...]:
        """Every ruff code that has a twin (measured or not): the scanner's default selection."""
        return tuple(entry.code for entry in self.entries)

    def identical(self) -> dict[str, Parity]:
        """The entries a profile may report under the twin's id, by ruff code."""
        return {entry.code: entry for entry in self.entries if entry.identical}


def _entry(raw: dict[str, object]) -> Parity:
    severity = raw.get("severity")
    if severity is not None and severity not in SEVERITIES:
        raise ScannerConfigError(f"{PARITY_FILE.name}: {raw.get('code')}: unknown severity {severity!r}")
    return Parity(
        code=str(raw["code"]),
        twin=str(raw["twin"]),
        basis=str(raw["basis"]),
        both=int(str(raw["both"])),
        only_twin=int(str(raw["only_twin"])),
        only_ruff=int(str(raw["only_ruff"])),
        severity=severity,  # checked against SEVERITIES above
        identical=bool(raw["identical"]),
    )


@cache
def parity_table(path: Path = PARITY_FILE) -> ParityTable:
    """The table at ``path`` (the shipped one by default), read once per process."""
    content = path.read_bytes()
    data = yaml.safe_load(content)
    return ParityTable(
        corpus=str(data["corpus"]),
        tools={str(k): str(v) for k, v in data["tools"].items()},
        entries=tuple(_entry(raw) for raw in data["rules"]),
        digest=hashlib.sha256(content).hexdigest()[:16],
    )
