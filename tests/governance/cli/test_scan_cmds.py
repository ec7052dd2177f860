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


def test_scan_command_writes_schema_valid_json(govern, tmp_path: Path) -> None:
    repo = VendorRepo(tmp_path / "vendor")
    repo.commit("APP-1: start", {"app.py": CODE})
    assert govern("vendor", "add", "Acme Soft").code == 0
    assert govern("module", "add", "APP", "--vendor", "Acme Soft", "--remote", str(repo.path)).code == 0
    result = govern("scan", "APP", "--workers", "1", "--json", str(tmp_path / "scan.json"))
    assert result.code == 0, result.err
    document = json.loads((tmp_path / "scan.json").read_text())
    jsonschema.validate(document, schema())
    assert document["module"] == {"key": "APP", "vendor": "Acme Soft"}
    assert "gate" in result.out and document["summary"]["findings"] > 0
    unknown = govern("scan", "NOPE")
    assert unknown.code == 2 and "unknown module" in unknown.err
