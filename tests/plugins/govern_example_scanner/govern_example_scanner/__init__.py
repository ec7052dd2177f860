"""An example third-party Govern scanner: FIXME markers left in Python code.

It imports only Govern's public scanner values (``scanners.base``, ``scanners.rules``) and
satisfies the ``Scanner`` protocol; its rule is declared with a document, so a standard can
bind ``example:fixme`` and a profile can score it like any built-in rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from scanners.base import Batch, Finding, ScanResult, fingerprint
from scanners.rules import RuleDoc, rule_doc

MARKER = "FIXME"
RULES = (
    rule_doc(
        "example:fixme",
        "major",
        (
            "FIXME left in code",
            "A FIXME is a known defect shipped on purpose.",
            "Fix it, or open a ticket and remove the marker.",
        ),
        ("代码中遗留 FIXME", "FIXME 表示有意交付的已知缺陷。", "修复它，或登记工单后删除该标记。"),
    ),
)


class FixmeScanner:
    """One finding per line holding the marker."""

    name = "example"
    cache_scope: Literal["file", "closure"] = "file"

    def __init__(self, config: Mapping[str, Any] | None = None) -> None:
        self.marker = str(dict(config or {}).get("marker", MARKER))

    @property
    def version(self) -> str:
        return "govern-example-scanner==1.0.0"

    @property
    def config_digest(self) -> str:
        return self.marker.encode().hex().ljust(64, "0")[:64]

    def applies_to(self, path: str) -> bool:
        return path.endswith(".py")

    def rules(self) -> tuple[RuleDoc, ...]:
        return RULES

    def scan(self, batch: Batch) -> ScanResult:
        findings = []
        for source in batch.files:
            for number, line in enumerate(source.text().splitlines(), start=1):
                if self.marker in line:
                    findings.append(
                        Finding(
                            "example:fixme",
                            self.name,
                            "fixme",
                            "major",
                            source.path,
                            number,
                            number,
                            f"{self.marker} left in code",
                            fingerprint("example:fixme", source.path, line),
                        )
                    )
        return ScanResult(tuple(findings))
