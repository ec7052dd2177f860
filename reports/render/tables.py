"""Tables as CSV or XLSX, streamed, every text cell safe to open in a spreadsheet.

A :class:`Sheet` is a name, a header and rows (any iterable: a generator over a million
findings is read once, row by row). CSV is UTF-8 with a BOM (Excel reads Chinese right).
XLSX is written by rust_xlsxwriter (through rustpy-xlsxwriter) in constant-memory mode:
memory does not grow with the rows, and a million-row sheet costs about a tenth of what
openpyxl's write-only workbook did (measured in ``benchmarks/bench_reports.py``). Text that
a spreadsheet would run as a formula is neutralised by Govern's one neutraliser
(:func:`governance.requirements.tables.spreadsheet_safe`); numbers stay numbers, times are
written as ISO text in UTC.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence, Sized
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice
from typing import IO, BinaryIO, cast

from rustpy_xlsxwriter import FastExcel

from governance.requirements.tables import spreadsheet_safe
from governance.timeutil import as_utc

CellValue = str | int | float | bool | None
_FLUSH = 64_000
#: Rows a worksheet holds (Excel's limit), header included.
MAX_ROWS = 1_048_576


@dataclass(frozen=True)
class Sheet:
    """One table: ``name`` (the XLSX sheet, ≤ 31 characters), ``header`` and ``rows``.

    ``count`` is the number of rows when ``rows`` is a generator whose length is known ahead
    (a report's finding stream): the workbook needs it to lay a long table over several
    sheets before the rows are read. A sized ``rows`` (list, tuple) needs none.
    """

    name: str
    header: Sequence[str]
    rows: Iterable[Sequence[object]]
    count: int | None = None

    def length(self) -> int | None:
        """The number of rows, when known before reading them."""
        if self.count is not None:
            return self.count
        return len(self.rows) if isinstance(self.rows, Sized) else None


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


#: Types a cell keeps as they are (exact types: a str subclass such as an enum goes through cell()).
_KEPT = frozenset({type(None), bool, int, float})


def cells(row: Iterable[object]) -> list[CellValue]:
    """A row's cells, as :func:`cell` makes them; the hot path of a million-row document, so
    plain numbers skip the call and text goes straight to the neutraliser (half the time)."""
    made = [
        value if type(value) in _KEPT else spreadsheet_safe(value) if type(value) is str else cell(value)
        for value in row
    ]
    return cast(list[CellValue], made)


def csv_chunks(sheet: Sheet) -> Iterator[bytes]:
    """``sheet`` as CSV bytes, in chunks of about 64 kB (header first, UTF-8 BOM)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow([cell(name) for name in sheet.header])
    for row in sheet.rows:
        writer.writerow(cells(row))  # csv writes None as an empty field
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
    """One workbook, a sheet per :class:`Sheet`, bold frozen header, rows streamed once.

    A sheet longer than a spreadsheet holds (:data:`MAX_ROWS`, header included) goes on in
    ``<name> (2)``, … ; that needs its length ahead (:meth:`Sheet.length`). A table of unknown
    length goes on one sheet, and one longer than Excel allows is refused by the writer.
    """
    # the writer only calls write(): any binary stream will do, whatever its static type
    book = FastExcel(cast(BinaryIO, out)).format(bold_headers=True).freeze(row=1)
    for sheet in sheets:
        header = [str(cell(name)) for name in sheet.header]
        if len(set(header)) != len(header):
            raise ValueError(f"sheet {sheet.name!r} repeats a column name: {header}")
        rows = iter(sheet.rows)
        length = sheet.length()
        parts = 1 if length is None else max(1, -(-length // (MAX_ROWS - 1)))
        for part in range(1, parts + 1):
            title = _title(sheet.name) if part == 1 else _title(f"{sheet.name[:24]} ({part})")
            # every part but the last takes a full sheet; the last takes what is left
            share = islice(rows, MAX_ROWS - 1) if part < parts else rows
            book.sheet(title, _records(header, share))
    book.save()


def _records(header: list[str], rows: Iterable[Sequence[object]]) -> Iterator[dict[str, CellValue]]:
    """Rows as the records the writer takes; an empty table still shows its header."""
    empty = True
    for row in rows:
        empty = False
        yield dict(zip(header, cells(row), strict=True))  # text neutralised
    if empty:
        yield dict.fromkeys(header)  # a row of empty cells is not written: the header alone


def _title(name: str) -> str:
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in name).strip("'")
    return cleaned[:31] or "Sheet"


def xlsx_bytes(sheets: Iterable[Sheet]) -> bytes:
    """The workbook as bytes (small documents and tests)."""
    buffer = io.BytesIO()
    write_xlsx(sheets, buffer)
    return buffer.getvalue()
