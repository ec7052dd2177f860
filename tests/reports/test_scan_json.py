"""The scan JSON: plain rows in a stable order, streamed one finding per line, same schema."""

from __future__ import annotations

import io
import json

import jsonschema
import pytest
from sqlmodel import select

from governance.scans.models import Finding
from reports.scan_json import scan_document, schema, write_scan_json
from tests.governance.scans.conftest import FLAWED, pay_module, scan_now, vendor_repo

__all__ = ["pay_module", "scan_now", "vendor_repo"]  # fixtures shared with the scans tests

pytestmark = pytest.mark.slow

SECOND = FLAWED.replace("import os\n", "import os\nimport sys\nimport json\n").replace(
    '    password = "hunter2-secret"\n', ""
)


@pytest.fixture
def two_scans(database, pay_module, scan_now, vendor_repo) -> tuple[int, int]:
    """A scan, then one of a commit that fixes a finding and adds others (so it has a fixed list)."""
    first = scan_now(pay_module)
    vendor_repo.commit(
        "PAY-2: more imports, no password", {"src/pay/core.py": SECOND, "src/pay/x.py": FLAWED}
    )
    second = scan_now(pay_module)
    assert first.id is not None and second.id is not None
    return first.id, second.id


def _reference(database, scan_id: int, baseline: int) -> tuple[list[tuple[object, ...]], set[str]]:
    """The findings (as ORM objects, the old way) and the fixed fingerprints, for comparison."""
    with database.session() as session:
        rows = session.exec(select(Finding).where(Finding.scan_id == scan_id)).all()
        old = session.exec(select(Finding).where(Finding.scan_id == baseline)).all()
    keys = sorted((r.path, r.line, r.rule, r.fingerprint, r.state.value, r.waived) for r in rows)
    return keys, {r.fingerprint for r in old} - {r.fingerprint for r in rows}


def test_document_matches_the_rows_in_a_stable_order_and_the_schema(database, two_scans) -> None:
    first, second = two_scans
    with database.session() as session:
        document = scan_document(session, scan_id=second)
    jsonschema.validate(document, schema())
    keys, fixed = _reference(database, second, first)
    found = [
        (f["path"], f["line"], f["rule"], f["fingerprint"], f["state"], f["waived"])
        for f in document["findings"]
    ]
    assert found == keys and len(found) > 3
    assert {f["fingerprint"] for f in document["fixed"]} == fixed and fixed
    assert document["summary"] == {
        "findings": len(keys),
        "new": sum(1 for k in keys if k[4] == "new"),
        "waived": sum(1 for k in keys if k[5]),
    }
    assert 0 < document["summary"]["new"] < len(keys)


def test_streamed_output_is_the_same_document_one_finding_per_line(database, two_scans) -> None:
    _, second = two_scans
    out = io.StringIO()
    with database.session() as session:
        head = write_scan_json(session, out, scan_id=second)
        document = scan_document(session, scan_id=second)
    text = out.getvalue()
    assert json.loads(text) == document
    assert head["findings"] == [] and head["summary"] == document["summary"]
    lines = [line.strip().rstrip(",") for line in text.splitlines() if line.startswith("    {")]
    assert [json.loads(line) for line in lines] == document["findings"]


def test_streamed_output_of_a_scan_without_findings(database, pay_module, scan_now, vendor_repo) -> None:
    vendor_repo.remove("src/pay/core.py")
    vendor_repo.commit("PAY-3: nothing left to find")
    scan = scan_now(pay_module)
    out = io.StringIO()
    with database.session() as session:
        write_scan_json(session, out, scan_id=scan.id)
        document = scan_document(session, scan_id=scan.id)
    assert json.loads(out.getvalue()) == document
    jsonschema.validate(document, schema())
