"""secrets: detect-secrets in-process; the secret never appears in results."""

from __future__ import annotations

from scanners.base import Batch, SourceFile, fingerprint
from scanners.secrets_scanner import SecretsScanner, parse_secrets, slug
from tests.scanners.scanner_samples import sample

AWS = "AKIAIOSFODNN7EXAMPLE"
PASSWORD = "Xk9#mQ2$vL7pR4wZ"


def test_slug_is_a_stable_rule_id() -> None:
    assert slug("AWS Access Key") == "aws-access-key"
    assert slug("Secret Keyword") == "secret-keyword"


def test_parse_none_one_many() -> None:
    assert parse_secrets("a", []) == []
    records = [
        {"type": "Secret Keyword", "line_number": 4, "hashed_secret": "abc"},
        {"type": "AWS Access Key", "line_number": 2, "hashed_secret": "def"},
    ]
    drafts = parse_secrets("a", records)
    assert [(d.rule, d.line, d.severity) for d in drafts] == [
        ("secrets:secret-keyword", 4, "critical"),
        ("secrets:aws-access-key", 2, "critical"),
    ]
    assert all("abc" not in d.message for d in drafts)


def test_real_detect_secrets_on_sample() -> None:
    source = sample("other/settings.env")
    result = SecretsScanner().scan(Batch(files=(source,)))
    assert [(f.rule, f.line) for f in result.findings] == [
        ("secrets:aws-access-key", 2),
        ("secrets:secret-keyword", 4),
    ]
    for finding in result.findings:
        assert AWS not in str(finding.as_dict()) and PASSWORD not in str(finding.as_dict())
        # The fingerprint is not computed from the line holding the secret.
        line = source.text().splitlines()[finding.line - 1]
        assert finding.fingerprint != fingerprint(finding.rule, finding.path, line)


def test_fingerprint_ignores_the_secret_value() -> None:
    """Rotating a leaked key in place keeps the finding's identity (it is the same leak)."""
    old = SourceFile("a.env", f"KEY={AWS}\n".encode())
    new = SourceFile("a.env", b"KEY=AKIAJ7ZQX3EXAMPLE423\n")
    (before,) = SecretsScanner().scan(Batch(files=(old,))).findings
    (after,) = SecretsScanner().scan(Batch(files=(new,))).findings
    assert before.fingerprint == after.fingerprint


def test_disabled_plugin_and_hostile_files() -> None:
    batch = Batch(files=(sample("other/settings.env"), SourceFile("k.bin", b"\x00AKIA")))
    result = SecretsScanner({"disabled_plugins": ["AWSKeyDetector"]}).scan(batch)
    assert [f.rule for f in result.findings] == ["secrets:secret-keyword"]
    assert [s.reason for s in result.skipped] == ["binary file"]
