"""Spreadsheet files as plain rows: read CSV/XLSX safely, write CSV/XLSX.

Reading never trusts the file name alone: an ``.xlsx`` must be a ZIP holding a workbook,
a CSV must decode as UTF-8 (with or without BOM) or GB18030 (what Chinese Excel writes).
Every refusal is a :class:`~governance.errors.RejectedFile` naming what is wrong, raised
before anything touches the database.
"""

from __future__ import annotations

import csv
import io
import lzma
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from governance.errors import Problem, RejectedFile
from scanners.wording import worded

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

ENCODINGS = ("utf-8-sig", "gb18030")
MAX_BYTES = 50 * 1024 * 1024
_XLSX_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
# What openpyxl raises on a workbook whose parts are missing or malformed (openpyxl's own
# InvalidFileException is added where a workbook is opened: openpyxl, with numpy and PIL
# behind it, costs a fifth of a second at import and only spreadsheet commands need it).
# xml ParseError is a SyntaxError: caught as such (a damaged sheet XML)
# A corrupt archive also raises what zipfile's decompressors raise (found by fuzzing,
# tests/governance/requirements/test_import_fuzz.py): zlib/lzma errors for corrupt deflated
# or xz parts, NotImplementedError for an unknown compression or zip version, RuntimeError
# for an "encrypted" entry, EOFError for a truncated stream.
_DAMAGED: tuple[type[Exception], ...] = (
    zipfile.BadZipFile,
    zlib.error,
    lzma.LZMAError,
    NotImplementedError,
    RuntimeError,
    EOFError,
    KeyError,
    ValueError,
    IndexError,
    OSError,
    SyntaxError,
)


@dataclass(frozen=True)
class Table:
    """A sheet's header and its data rows, each with its 1-based row number in the file."""

    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]


def read_table(path: Path) -> Table:
    """The first sheet (XLSX) or the file (CSV) as text cells; blank rows are skipped."""
    data = _read_bytes(path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _table(path.name, _xlsx_rows(path.name, data))
    if suffix in (".csv", ".tsv", ".txt"):
        return _table(path.name, _csv_rows(path.name, data))
    problem = Problem(
        worded("unsupported file type %(suffix)r: use .csv or .xlsx", suffix=suffix or "(none)")
    )
    raise RejectedFile(path.name, [problem])


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise RejectedFile(
                path.name,
                [
                    Problem(
                        worded(
                            "file is too large (%(size)s bytes; limit %(limit)s)", size=size, limit=MAX_BYTES
                        )
                    )
                ],
            )
        data = path.read_bytes()
    except OSError as exc:
        raise RejectedFile(
            path.name, [Problem(worded("cannot read the file: %(reason)s", reason=str(exc.strerror)))]
        ) from exc
    if not data.strip():
        raise RejectedFile(path.name, [Problem(worded("the file is empty"))])
    return data


def _table(source: str, rows: Iterable[tuple[int, tuple[str, ...]]]) -> Table:
    kept = [(number, cells) for number, cells in rows if any(cells)]
    if not kept:
        raise RejectedFile(source, [Problem(worded("the file is empty: no header row"))])
    (_, header), body = kept[0], kept[1:]
    if not body:
        raise RejectedFile(source, [Problem(worded("the file has a header but no requirement rows"))])
    return Table(header=header, rows=tuple(body))


def _decode(source: str, data: bytes) -> str:
    if b"\x00" in data:
        problem = Problem(worded("not a text CSV file (it contains NUL bytes: binary or UTF-16)"))
        raise RejectedFile(source, [problem])
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    problem = Problem(worded("cannot decode the file: it is not UTF-8, UTF-8 with BOM or GB18030"))
    raise RejectedFile(source, [problem])


def _delimiter(text: str) -> str:
    """Comma, semicolon (European Excel) or tab, whichever the header line uses most."""
    first = text.split("\n", 1)[0]
    return max((",", ";", "\t"), key=first.count)


def _csv_rows(source: str, data: bytes) -> list[tuple[int, tuple[str, ...]]]:
    """Rows numbered by record, as a spreadsheet shows them (a quoted newline stays in its row)."""
    text = _decode(source, data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    rows: list[tuple[int, tuple[str, ...]]] = []
    try:
        for number, cells in enumerate(reader, start=1):
            rows.append((number, tuple(cell_text(cell) for cell in cells)))
    except csv.Error as exc:
        problem = Problem(worded("malformed CSV: %(reason)s", reason=str(exc)), row=reader.line_num)
        raise RejectedFile(source, [problem]) from exc
    return rows


MAX_UNPACKED_BYTES = 64 * 1024 * 1024
"""What an XLSX may unpack to; far above 5,510 requirements, far below a ZIP bomb's hundreds of MiB.

zipfile never inflates a member past its declared size, so bounding the declared sizes
bounds the memory the parser can be made to use.
"""


def _check_zip(source: str, data: bytes) -> None:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise RejectedFile(source, [Problem(worded("not an XLSX workbook: the file is not a ZIP archive"))])
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            unpacked = sum(info.file_size for info in archive.infolist())
    except _DAMAGED as exc:
        raise RejectedFile(
            source, [Problem(worded("a damaged ZIP archive: %(reason)s", reason=_named(exc)))]
        ) from exc
    if unpacked > MAX_UNPACKED_BYTES:
        problem = Problem(
            worded(
                "the workbook unpacks to %(size).0f MiB, over the %(limit).0f MiB limit: "
                "split it or save it as CSV",
                size=unpacked / 1048576,
                limit=MAX_UNPACKED_BYTES / 1048576,
            )
        )
        raise RejectedFile(source, [problem])
    if not all(part in names for part in _XLSX_PARTS):
        shown = ", ".join(names[:5]) + (" …" if len(names) > 5 else "")
        problem = Problem(worded("a ZIP archive but not an XLSX workbook (it holds: %(parts)s)", parts=shown))
        raise RejectedFile(source, [problem])


def _named(exc: Exception) -> str:
    """The library's own error, named (its words stay English in every language)."""
    return f"{type(exc).__name__}: {exc}"


def _xlsx_rows(source: str, data: bytes) -> list[tuple[int, tuple[str, ...]]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    damaged: tuple[type[Exception], ...] = (InvalidFileException, *_DAMAGED)
    _check_zip(source, data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            return [
                (number, tuple(cell_text(value) for value in values))
                for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
            ]
        finally:
            workbook.close()
    except damaged as exc:
        raise RejectedFile(
            source, [Problem(worded("a damaged XLSX workbook: %(reason)s", reason=_named(exc)))]
        ) from exc


def cell_text(value: object) -> str:
    """A cell as the text a PM sees: whole numbers without ``.0``, dates as ISO, trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return _unescape(str(value).replace("\r\n", "\n").strip())


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: str) -> str:
    """A cell a spreadsheet shows as text: a leading ``'`` before what could start a formula (OWASP).

    ``=cmd|' /C calc'!A0`` in a CSV cell runs when Excel opens the file; ``'=cmd…`` is shown.
    """
    return "'" + value if value.startswith(FORMULA_START) else value


def _unescape(text: str) -> str:
    """Undo :func:`spreadsheet_safe` on import, so an exported file imports back unchanged."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_START) else text


def write_csv(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    """UTF-8 with BOM so that Excel opens Chinese text correctly; every cell formula-safe."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([spreadsheet_safe(str(cell)) for cell in header])
    writer.writerows([spreadsheet_safe(str(cell)) for cell in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def write_xlsx(title: str, header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    """A one-sheet workbook; every cell is a string, so ``=…`` text can never become a formula."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31] or "Sheet1")
    sheet.append(list(header))
    for row in rows:
        sheet.append([_text_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _text_cell(sheet: WriteOnlyWorksheet, value: str) -> Cell | str:
    if not value.startswith("="):
        return value
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell
