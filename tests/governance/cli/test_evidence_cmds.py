"""`govern evidence upload|list`: one line per upload; a bad file is one line on stderr and exit 2."""

from __future__ import annotations

from pathlib import Path

from tests.governance.evidence.test_reports import JACOCO, SUREFIRE


def test_upload_and_list(govern, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert govern("vendor", "add", "Acme Soft").code == 0
    assert govern("module", "add", "LED", "--vendor", "Acme Soft").code == 0
    report, coverage = tmp_path / "TEST-ledger.xml", tmp_path / "jacoco.xml"
    report.write_bytes(SUREFIRE)
    coverage.write_bytes(JACOCO)
    sha = "c" * 40
    done = govern("evidence", "upload", str(report), "--module", "LED", "--commit", sha, "--kind", "junit")
    assert done.code == 0, done.err
    assert "1 failed, 1 passed" in done.out
    done = govern(
        "evidence", "upload", str(coverage), "--module", "LED", "--commit", sha, "--kind", "coverage"
    )
    assert "80.0% of 10 lines covered" in done.out
    listed = govern("evidence", "list", "--module", "LED", "--json")
    assert [e["format"] for e in __import__("json").loads(listed.out)] == ["jacoco", "junit"]
    report.write_bytes(b"<testsuites>")
    bad = govern("evidence", "upload", str(report), "--module", "LED", "--commit", sha, "--kind", "junit")
    assert bad.code == 2
    assert "not well-formed XML" in bad.err and "Traceback" not in bad.err
