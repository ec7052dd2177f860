"""Spreadsheet formulas are neutralised in every CSV Govern writes (issue 15, row 8)."""

from __future__ import annotations

import csv
import io

import pytest

from governance.requirements.spreadsheets import export_requirements, import_requirements
from governance.requirements.tables import write_csv
from tests.governance.requirements.conftest import EN, module

PAYLOADS = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def _cells(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_write_csv_neutralises_formulas(payload: str) -> None:
    cells = _cells(write_csv(["Title"], [[payload]]))
    assert cells[1][0] == "'" + payload


def test_exported_requirements_are_safe_and_import_back_unchanged(world, sheet, tmp_path) -> None:
    rows = [["BUD-0001", PAYLOADS[0], "", "", "", "", ""]]
    with world.session() as session:
        import_requirements(session, module=module(session), path=sheet("in.csv", EN, rows), actor="pm")
        exported = export_requirements(session, module=module(session), fmt="csv")
    title = next(row for row in _cells(exported) if row and row[0] == "BUD-0001")[1]
    assert title == "'" + PAYLOADS[0]
    again = tmp_path / "again.csv"
    again.write_bytes(exported)
    with world.session() as session:
        result = import_requirements(session, module=module(session), path=again, actor="pm")
    assert result.summary()["updated"] == 0
