"""The secrets scanner's line sieve gives detect-secrets' own results, exactly.

:mod:`scanners.secrets_lines` hands detect-secrets only the lines one of the loaded plugins'
own patterns matches. Compared here with detect-secrets' ``scan_file`` on the file on disk,
same settings: every file of flask 3.1.0's released sdist (Python, reST, HTML, TOML, JSON,
INI, images…) and crafted files holding secrets of many kinds (AWS key, private key, keyword
passwords, base64 and hex high-entropy strings on both sides of their limits, Slack, GitHub,
Stripe, JWT, basic auth, both allowlist pragmas, a non-ASCII keyword) and YAML/INI files read
through detect-secrets' file parsers. First per file (each secret's type, line, hash, value,
in order), then as the scanner's findings with the sieve on and off (rule, path, line,
fingerprint, message).
"""

from __future__ import annotations

import re
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest
from detect_secrets.core.scan import scan_file as detect_secrets_scan_file
from detect_secrets.plugins.base import RegexBasedDetector
from detect_secrets.settings import default_settings, get_plugins

from scanners import secrets_scanner
from scanners.base import Batch, ScanResult, SourceFile
from scanners.batching import make_batch, plan_batches
from scanners.secrets_lines import current_sieve, scan_file, sieve_of
from scanners.secrets_scanner import SecretsScanner
from tests.corpus import fetch_sdist

SDIST = "flask==3.1.0"
#: Crafted files full of fake secrets; kept out of samples/, which every scanner reads in
#: tests/scanners/test_integration.py (these would change every tool's counts there).
CRAFTED = Path(__file__).parent / "secrets_samples"
CRAFTED_TYPES = {
    "AWS Access Key",
    "Base64 High Entropy String",
    "Basic Auth Credentials",
    "GitHub Token",
    "Hex High Entropy String",
    "JSON Web Token",
    "Private Key",
    "Secret Keyword",
    "Slack Token",
    "Stripe Access Key",
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The extracted sdist, with the crafted files added under ``crafted/`` by their real names."""
    root = fetch_sdist(SDIST, tmp_path_factory.mktemp("secrets-corpus"))
    crafted = root / "crafted"
    crafted.mkdir()
    for sample in CRAFTED.iterdir():
        (crafted / sample.name.removesuffix(".txt")).write_bytes(sample.read_bytes())
    return root


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def _secrets(found: Any) -> list[tuple[dict[str, Any], str | None]]:
    return [(secret.json(), secret.secret_value) for secret in found]


@pytest.mark.slow
def test_every_file_gives_detect_secrets_own_secrets(corpus: Path) -> None:
    with default_settings():
        sieve = current_sieve()
        assert sieve is not None, "every built-in plugin has a sieve: the shortcut is really run"
        reference = {p: _secrets(detect_secrets_scan_file(str(p))) for p in _files(corpus)}
        sieved = {p: _secrets(scan_file(str(p), sieve)) for p in _files(corpus)}
    assert {p: s for p, s in sieved.items() if s != reference[p]} == {}
    crafted = {
        record["type"] for p, found in reference.items() if p.parent.name == "crafted" for record, _ in found
    }
    assert crafted == CRAFTED_TYPES
    assert sum(map(len, reference.values())) > 40


def _scan(root: Path) -> ScanResult:
    contents = {str(p.relative_to(root)): p.read_bytes() for p in _files(root)}
    paths = plan_batches({path: len(data) for path, data in contents.items()})
    return ScanResult.merge(SecretsScanner().scan(make_batch(b, contents.__getitem__)) for b in paths)


@pytest.mark.slow
def test_scanner_findings_are_those_without_the_sieve(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sieved = _scan(corpus)
    monkeypatch.setattr(secrets_scanner, "current_sieve", lambda: None)  # detect-secrets' scan_file
    reference = _scan(corpus)
    assert [f.as_dict() for f in sieved.findings] == [f.as_dict() for f in reference.findings]
    assert sieved.skipped == reference.skipped
    assert {f.path for f in reference.findings} >= {
        "crafted/mixed.py",
        "crafted/service.yaml",
        "crafted/settings.ini",
    }


def test_crafted_secrets_found_through_the_sieve() -> None:
    """The fast check of the above on the crafted file alone (no download)."""
    source = SourceFile("mixed.py", (CRAFTED / "mixed.py.txt").read_bytes())
    found = {(f.tool_rule, f.line) for f in SecretsScanner().scan(Batch(files=(source,))).findings}
    assert ("Base64 High Entropy String", 17) in found  # 23 distinct characters: log2(23) > 4.5
    assert not {line for _, line in found} & {8, 10, 16, 18}  # both pragmas; 22 characters; 8 hex


class _OwnReader(RegexBasedDetector):
    """A plugin that finds secrets with code of its own: the sieve cannot know its patterns."""

    secret_type = "own reader"
    denylist = (re.compile("never"),)

    def analyze_string(self, string: str) -> Generator[str, None, None]:
        yield from string.split()


def test_an_unknown_plugin_turns_the_sieve_off() -> None:
    with default_settings():
        assert sieve_of(get_plugins()) is not None
        assert sieve_of([*get_plugins(), _OwnReader()]) is None
    assert sieve_of([]) is None


@pytest.mark.parametrize(
    "line",
    ["X = 1", "PASSWORD = 'x'", "mot de passe: Password", "ſECRET = 1", "CONTRASEÑA = 1", "a: b", ""],
)
def test_sieve_lines_are_those_the_patterns_match(line: str) -> None:
    """Every line a pattern matches is among the sieve's candidates (ASCII and not, any case)."""
    lines = ["first", line, "ÀÉ last"]
    with default_settings():
        sieve = current_sieve()
        assert sieve is not None
        found = sieve.matches(lines)
        for plugin, own in zip(sieve.plugins, sieve.patterns, strict=True):
            for index, text in enumerate(lines):
                if any(pattern.search(text) for pattern in own):
                    assert plugin in found.get(index, []), (type(plugin).__name__, text)
