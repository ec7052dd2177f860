"""Tables as CSV or XLSX, streamed, every text cell safe to open in a spreadsheet.

A :class:`Sheet` is a name, a header and rows (any iterable: a generator over a million
findings is read once, row by row). CSV is UTF-8 with a BOM (Excel reads Chinese right);
XLSX is an openpyxl *write-only* workbook, so memory does not grow with the rows. Text that
a spreadsheet would run as a formula is neutralised by Govern's one neutraliser
(:func:`governance.requirements.tables.spreadsheet_safe`); numbers stay numbers, times are
written as ISO text in UTC.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from governance.requirements.tables import spreadsheet_safe
from governance.timeutil import as_utc

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

CellValue = str | int | float | bool | None
_FLUSH = 64_000
#: Rows a worksheet holds (Excel's limit), header included.
MAX_ROWS = 1_048_576


@dataclass(frozen=True)
class Sheet:
    """One table: ``name`` (the XLSX sheet, ≤ 31 characters), ``header`` and ``rows``."""

    name: str
    header: Sequence[str]
    rows: Iterable[Sequence[object]]


def cell(value: object) -> CellValue:
    """A value as a spreadsheet cell: numbers and booleans kept, text neutralised, times ISO UTC."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, datetime):
        return as_utc(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return spreadsheet_safe("; ".join(str(item) for item in value))
    return spreadsheet_safe(str(value))


def csv_chunks(sheet: Sheet) -> Iterator[bytes]:
    """``sheet`` as CSV bytes, in chunks of about 64 kB (header first, UTF-8 BOM)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow([cell(name) for name in sheet.header])
    for row in sheet.rows:
        writer.writerow(["" if (c := cell(value)) is None else c for value in row])
        if buffer.tell() > _FLUSH:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def write_csv(sheet: Sheet, out: IO[bytes]) -> None:
    """Write ``sheet`` as CSV into ``out``."""
    for chunk in csv_chunks(sheet):
        out.write(chunk)


def write_xlsx(sheets: Iterable[Sheet], out: IO[bytes]) -> None:
    """One write-only workbook, a sheet per :class:`Sheet`, bold frozen header.

    A sheet longer than a spreadsheet holds (:data:`MAX_ROWS`) goes on in ``<name> (2)``, … .
    """
    workbook = Workbook(write_only=True)
    for sheet in sheets:
        part, written = 1, 1
        target = _new_sheet(workbook, sheet, part)
        for row in sheet.rows:
            if written == MAX_ROWS:
                part, written = part + 1, 1
                target = _new_sheet(workbook, sheet, part)
            target.append([cell(value) for value in row])  # cell() neutralised every text: no formula
            written += 1
    workbook.save(out)


def _new_sheet(workbook: Workbook, sheet: Sheet, part: int) -> WriteOnlyWorksheet:
    title = _title(sheet.name) if part == 1 else _title(f"{sheet.name[:24]} ({part})")
    target: WriteOnlyWorksheet = workbook.create_sheet(title)
    target.freeze_panes = "A2"
    header = []
    for name in sheet.header:
        head = WriteOnlyCell(target, value=cell(name))
        head.font = Font(bold=True)
        header.append(head)
    target.append(header)
    return target


def _title(name: str) -> str:
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in name).strip("'")
    return cleaned[:31] or "Sheet"


def xlsx_bytes(sheets: Iterable[Sheet]) -> bytes:
    """The workbook as bytes (small documents and tests)."""
    buffer = io.BytesIO()
    write_xlsx(sheets, buffer)
    return buffer.getvalue()
