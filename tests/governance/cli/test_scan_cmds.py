"""`govern scan-files` and `govern scan` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from reports.scan_json import schema
from tests.gitrepo import VendorRepo

pytestmark = pytest.mark.slow

CODE = 'import os\n\n\ndef run(code):\n    """Run."""\n    return eval(code)\n'


def test_scan_files_json_and_cache(govern, tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text(CODE, encoding="utf-8")
    (tmp_path / "src" / "blob.bin").write_bytes(b"\x00\x01")
    (tmp_path / "schema.sql").write_text("SELECT * FROM t;\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    first = govern("scan-files", "src", "schema.sql", "--workers", "1", "--json", "out.json")
    assert first.code == 0, first.err
    data = json.loads((tmp_path / "out.json").read_text())
    rules = {(f["rule"], f["path"]) for f in data["findings"]}
    assert {
        ("bandit:B307", "src/app.py"),
        ("pylint:W0611", "src/app.py"),
        ("sql:select-star", "schema.sql"),
    } <= rules
    assert set(data) >= {"findings", "metrics", "skipped"} and data["stats"]["from_cache"] == 0
    second = govern("scan-files", "src", "schema.sql", "--workers", "1", "--json", "again.json")
    again = json.loads((tmp_path / "again.json").read_text())
    assert again["findings"] == data["findings"] and again["stats"]["analysed"] == 0
    assert "from cache" in second.out


def test_scan_files_missing_path_is_a_clear_error(govern, tmp_path: Path) -> None:
    result = govern("scan-files", str(tmp_path / "nope"))
    assert result.code == 2 and "no such file or directory" in result.err


GATES = {
    # profile file body -> (exit code, the condition id that must be shown as failing)
    "level": ("gate:\n  overall:\n    min_standard_level: {development: A}\n", "development.level"),
    "score": ("gate:\n  overall:\n    min_score: 99.9\n", "overall.score"),
    "failed-rules": (
        "gate:\n  overall:\n    max_failed_rules: {critical: 0}\n",
        "overall.failed_rules.critical",
    ),
    "new-findings": ("gate:\n  new:\n    max_new_findings: {major: 0}\n", "new.new_findings.major"),
    "new-secrets": (
        "gate:\n  conditions:\n    - {id: no-new-secret, metric: new_secrets, threshold: 0}\n",
        "no-new-secret",
    ),
}
SECRET_CODE = CODE + 'PASSWORD = "Finance@2023-prod"\n'  # pragma: allowlist secret


def _module(govern, tmp_path: Path, profile: str, files: dict[str, str]) -> None:
    repo = VendorRepo(tmp_path / "vendor")
    repo.commit("APP-1: start", files)
    assert govern("vendor", "add", "Acme Soft").code == 0
    args = ["module", "add", "APP", "--vendor", "Acme Soft", "--remote", str(repo.path), "--profile", profile]
    assert govern(*args).code == 0


@pytest.mark.parametrize("kind", sorted(GATES))
def test_failing_gate_names_its_condition_and_exits_1(govern, settings, tmp_path: Path, kind: str) -> None:
    body, condition = GATES[kind]
    profiles = settings.data_dir / "profiles"
    profiles.mkdir(parents=True, exist_ok=True)
    (profiles / "strict.yaml").write_text(f"id: strict\nextends: legacy\n{body}", encoding="utf-8")
    _module(govern, tmp_path, "strict", {"app.py": SECRET_CODE})
    result = govern("scan", "APP", "--workers", "1", "--json", str(tmp_path / "scan.json"))
    assert result.code == 1, result.out + result.err
    document = json.loads((tmp_path / "scan.json").read_text())
    jsonschema.validate(document, schema())
    failed = [c["id"] for c in document["gate"]["conditions"] if not c["passed"]]
    assert condition in failed and document["gate"]["passed"] is False
    assert "gate FAILED" in result.out and f"✗ {condition} " in result.out
    assert "failing rules" in result.out


def test_passing_gate_exits_0_and_says_why(govern, settings, tmp_path: Path) -> None:
    profiles = settings.data_dir / "profiles"
    profiles.mkdir(parents=True, exist_ok=True)
    (profiles / "lenient.yaml").write_text(
        "id: lenient\nextends: legacy\ngate:\n  new:\n    max_new_findings: {}\n", encoding="utf-8"
    )
    _module(govern, tmp_path, "lenient", {"app.py": CODE})
    result = govern("scan", "APP", "--workers", "1", "--json", str(tmp_path / "scan.json"))
    assert result.code == 0, result.out + result.err
    document = json.loads((tmp_path / "scan.json").read_text())
    assert document["gate"]["passed"] is True and document["gate"]["conditions"] == []
    assert "the profile sets no condition" in result.out


def test_scan_command_writes_schema_valid_json(govern, tmp_path: Path) -> None:
    repo = VendorRepo(tmp_path / "vendor")
    repo.commit("APP-1: start", {"app.py": CODE})
    assert govern("vendor", "add", "Acme Soft").code == 0
    assert govern("module", "add", "APP", "--vendor", "Acme Soft", "--remote", str(repo.path)).code == 0
    result = govern("scan", "APP", "--workers", "1", "--json", str(tmp_path / "scan.json"))
    document = json.loads((tmp_path / "scan.json").read_text())
    jsonschema.validate(document, schema())
    assert result.code == (0 if document["gate"]["passed"] else 1), result.err
    assert document["schema_version"] == 2
    assert document["module"] == {"key": "APP", "vendor": "Acme Soft"}
    assert "gate" in result.out and document["summary"]["findings"] > 0
    for standard in document["standards"]:
        assert "gate_passed" not in standard and standard["failed_rules"] >= 0
        assert all(rule["title"]["en"] for rule in standard["rules"])
    unknown = govern("scan", "NOPE")
    assert unknown.code == 2 and "unknown module" in unknown.err


def test_scan_of_another_branch_is_judged_against_the_merge_base(govern, tmp_path: Path) -> None:
    repo = VendorRepo(tmp_path / "vendor")
    repo.commit("APP-1: start", {"app.py": CODE})
    assert govern("vendor", "add", "Acme Soft").code == 0
    assert govern("module", "add", "APP", "--vendor", "Acme Soft", "--remote", str(repo.path)).code == 0
    assert govern("scan", "APP", "--workers", "1", "--json", str(tmp_path / "main.json")).code in (0, 1)
    main = json.loads((tmp_path / "main.json").read_text())
    repo.git("checkout", "-q", "-b", "feature/x")
    repo.commit("APP-1: secret", {"app.py": SECRET_CODE})
    result = govern(
        "scan", "APP", "--branch", "feature/x", "--workers", "1", "--json", str(tmp_path / "x.json")
    )
    assert result.code in (0, 1), result.err
    text = (tmp_path / "x.json").read_text()
    document = json.loads(text)
    jsonschema.validate(document, schema())
    assert document["scan"]["branch"] == "feature/x" and "(feature/x)" in result.out
    assert document["scan"]["baseline_scan"] == main["scan"]["id"]
    assert {f["rule"] for f in document["findings"] if f["state"] == "new"} >= {"bandit:B105"}
    assert "Finance@2023-prod" not in text + result.out and "'Fi******'" in text  # pragma: allowlist secret
    unbound = [f for f in document["findings"] if f["standard_rule"] is None]
    assert unbound and all(f["counts_toward_rule"] is False for f in unbound)
    assert all(f["counts_toward_rule"] for f in document["findings"] if f["standard_rule"])
    bad = govern("scan", "APP", "--branch", "bad..name")
    assert bad.code == 2 and "invalid branch name" in bad.err
