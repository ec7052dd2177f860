"""Hypothesis over the requirement importers (CSV and XLSX): any file is imported whole or
refused whole with a RejectedFile, never an other exception and never half written."""

from __future__ import annotations

import csv
import io
import itertools
from datetime import datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from governance.errors import GovernError
from governance.requirements.spreadsheets import import_requirements
from tests.governance.requirements.conftest import EN, ZH, counts, module

EXAMPLES = settings(
    max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
HEADERS = st.lists(st.sampled_from([*EN, *ZH, "", "Key ", "junk"]), min_size=0, max_size=9)
KEYS = st.sampled_from(["BUD-0001", "BUD-0002", "BUD-12", "TAX-0001", "bud-0003", "", "BUD-"])
CELL = st.one_of(
    KEYS,
    st.sampled_from(["approved", "proposed", "已批准", "high", "低", "=cmd|' /C calc'!A0", "in_progress"]),
    st.text(max_size=30),
)
ROWS = st.lists(st.lists(CELL, max_size=9), max_size=8)
_names = itertools.count()


def _csv(header: list[str], rows: list[list[str]], encoding: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding, errors="replace")


def _xlsx(header: list[str], rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in [header, *rows]:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _judge(world, tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / f"{next(_names)}-{name}"
    path.write_bytes(data)
    before = counts(world)
    try:
        with world.session() as session:
            result = import_requirements(session, module=module(session), path=path, actor="fuzz")
    except GovernError as exc:
        assert exc.message, "a refusal says why"
        assert counts(world) == before, "a refused file changed something"
        return
    after = counts(world)
    assert after["requirements"] == before["requirements"] + len(result.created)
    if not (result.created or result.updated or result.moved):
        assert after == before, "an import that changed nothing wrote something"


@EXAMPLES
@given(header=HEADERS, rows=ROWS, encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "latin-1"]))
def test_any_csv_is_imported_whole_or_refused_whole(world, tmp_path, header, rows, encoding) -> None:
    _judge(world, tmp_path, "sheet.csv", _csv(header, rows, encoding))


@EXAMPLES
@given(header=HEADERS, rows=ROWS)
def test_the_proper_header_with_any_rows(world, tmp_path, header, rows) -> None:
    _judge(world, tmp_path, "sheet.csv", _csv(EN if len(header) % 2 else ZH, rows, "utf-8"))


XLSX_CELL = st.one_of(  # text a worksheet can hold (openpyxl refuses control characters)
    KEYS,
    st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=30),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(2100, 1, 1)),
    st.none(),
    st.booleans(),
)


@EXAMPLES
@given(
    header=st.one_of(st.just(EN), st.just(ZH), HEADERS),
    rows=st.lists(st.lists(XLSX_CELL, max_size=9), max_size=8),
)
def test_any_xlsx_is_imported_whole_or_refused_whole(world, tmp_path, header, rows) -> None:
    _judge(world, tmp_path, "sheet.xlsx", _xlsx(header, rows))


@EXAMPLES
@given(data=st.binary(max_size=4000), flips=st.lists(st.integers(min_value=0), max_size=20))
def test_damaged_xlsx_bytes_are_refused_cleanly(world, tmp_path, data, flips) -> None:
    good = bytearray(_xlsx(EN, [["BUD-0001", "Title", "", "high", "approved", "", ""]]))
    for position in flips:
        good[position % len(good)] ^= 0xFF
    _judge(world, tmp_path, "damaged.xlsx", bytes(good) if flips else data)
