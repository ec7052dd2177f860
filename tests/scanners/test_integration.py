"""Every registered scanner on all sample files: the contract every finding keeps."""

from __future__ import annotations

from collections import Counter

import pytest

from scanners.base import SEVERITIES, Batch, Scanner, ScanResult
from scanners.registry import build_registry
from tests.scanners.scanner_samples import SAMPLES, sample


def _all_samples() -> list[str]:
    return sorted(
        str(p.relative_to(SAMPLES)) for p in SAMPLES.rglob("*") if p.is_file() and "outputs" not in p.parts
    )


@pytest.mark.slow
def test_every_registered_scanner_on_every_sample() -> None:
    registry = build_registry()
    files = [sample(rel) for rel in _all_samples()]
    results: dict[str, ScanResult] = {}
    for scanner in registry.scanners:
        mine = tuple(f for f in files if scanner.applies_to(f.path))
        results[scanner.name] = scanner.scan(Batch(files=mine, context=tuple(files)))
    per_tool = {name: len(r.findings) for name, r in results.items()}
    # secrets: two in settings.env, plus PASSWORD = "hunter2" in flawed.py.
    expected = {"bandit": 3, "lizard": 1, "pylint": 3, "radon": 1, "secrets": 3, "sql": 8}
    assert per_tool == expected
    for name, result in results.items():
        declared = {doc.id for doc in registry.get(name).rules()}
        for finding in result.findings:
            assert finding.rule in declared, f"{name} reports {finding.rule} but does not declare it"
            assert finding.tool == name or finding.rule.startswith("govern:")
            assert finding.rule.split(":")[0] == name
            assert finding.severity in SEVERITIES
            assert finding.path and not finding.path.startswith(("/", "."))
            assert finding.line <= finding.end_line
            assert len(finding.fingerprint) == 40
    fingerprints = Counter(f.fingerprint for r in results.values() for f in r.findings)
    assert max(fingerprints.values()) == 1


def test_versions_and_digests_identify_tool_and_settings() -> None:
    registry = build_registry()
    for scanner in registry.scanners:
        assert isinstance(scanner, Scanner)
        assert "==" in scanner.version and "unknown" not in scanner.version
        assert len(scanner.config_digest) == 64
    assert len({s.config_digest for s in registry.scanners}) == len(registry.scanners)
