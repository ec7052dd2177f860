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


def test_vulndb_import_and_list(govern, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.governance.evidence.test_dependencies import osv_export

    export = tmp_path / "all.zip"
    export.write_bytes(osv_export())
    done = govern("vulndb", "import", str(export))
    assert done.code == 0, done.err
    assert "v1: 10 advisories, newest of 2024-05-20" in done.out
    export.write_bytes(osv_export({"broken.json": b"[1]"}))
    bad = govern("vulndb", "import", str(export))
    assert bad.code == 2 and "broken.json" in bad.err and "nothing imported" in bad.err
    listed = __import__("json").loads(govern("vulndb", "list", "--json").out)
    assert [v["version"] for v in listed] == [1]


def test_attest_submit_approve_list(govern, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert govern("vendor", "add", "Acme Soft").code == 0
    assert govern("module", "add", "LED", "--vendor", "Acme Soft").code == 0
    report = tmp_path / "pentest.pdf"
    report.write_bytes(b"%PDF-1.4 penetration test report")
    done = govern(
        "attest",
        "submit",
        str(report),
        "--module",
        "LED",
        "--rule",
        "OPS-011",
        "--statement",
        "Penetration test by an accredited lab; all high findings fixed.",
    )
    assert done.code == 0, done.err
    assert "pending approval" in done.out
    from datetime import date, timedelta

    expires = (date.today() + timedelta(days=100)).isoformat()
    done = govern("attest", "approve", "1", "--expires", expires)
    assert done.code == 0, done.err
    assert f"approved until {expires}" in done.out
    items = __import__("json").loads(govern("attest", "list", "--module", "LED", "--json").out)
    assert [(i["rule"], i["state"]) for i in items] == [("OPS-011", "valid")]
    late = (date.today() + timedelta(days=400)).isoformat()
    bad = govern("attest", "approve", "1", "--expires", late)
    assert bad.code == 2 and "already approved" in bad.err
