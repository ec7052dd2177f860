"""`govern sarif import|list`: real ruff SARIF goes in; a bad file or another vendor's module is exit 2."""

from __future__ import annotations

import json
from pathlib import Path

from tests.gitrepo import VendorRepo
from tests.governance.evidence.project import project_files
from tests.governance.evidence.sarif_support import results, ruff_sarif


def test_import_list_and_refusals(govern, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    repo = VendorRepo(tmp_path / "vendor")
    sha = repo.commit("CAL-1: calculator", project_files())
    for args in (
        ("vendor", "add", "Acme Soft"),
        ("vendor", "add", "Beta Soft"),
        ("module", "add", "CAL", "--vendor", "Acme Soft", "--remote", str(repo.path)),
        ("user", "add", "acme-ci", "--role", "vendor", "--vendor", "Acme Soft"),
        ("user", "add", "beta-ci", "--role", "vendor", "--vendor", "Beta Soft"),
        ("mirror", "sync", "CAL"),
    ):
        assert govern(*args).code == 0, args
    sarif = tmp_path / "ruff.sarif"
    sarif.write_bytes(ruff_sarif(repo, tmp_path / "checkout"))
    done = govern("sarif", "import", str(sarif), "--module", "CAL", "--commit", sha, "--as", "acme-ci")
    assert done.code == 0, done.err
    assert f"{len(results(sarif.read_bytes()))} results of ruff for CAL @ {sha[:12]}" in done.out
    assert f"govern scan CAL --commit {sha}" in done.out  # never scanned: the next scan counts them
    other = govern("sarif", "import", str(sarif), "--module", "CAL", "--commit", sha, "--as", "beta-ci")
    assert other.code == 2 and "unknown module 'CAL'" in other.err
    sarif.write_text('{"version": "2.1.0", "runs": [{}]}', encoding="utf-8")
    bad = govern("sarif", "import", str(sarif), "--module", "CAL", "--commit", sha)
    assert bad.code == 2 and "not valid SARIF 2.1.0 at runs/0" in bad.err and "Traceback" not in bad.err
    listed = json.loads(govern("sarif", "list", "--module", "CAL", "--json").out)
    assert [(i["tools"], i["uploaded_by"]) for i in listed] == [("ruff", "acme-ci")]
