"""A small XLSX that unpacks to a huge one is refused before it is parsed (issue 15, row 12)."""

from __future__ import annotations

import tracemalloc
import zipfile
from pathlib import Path

import pytest

from governance.errors import RejectedFile
from governance.requirements import tables
from tests.governance.requirements.conftest import EN, write_xlsx


def _bomb(path: Path, unpacked: int) -> Path:
    """A real workbook whose sheet XML is padded with ``unpacked`` bytes of whitespace."""
    write_xlsx(path, EN, [["BUD-0001", "title", "", "", "", "", ""]])
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = next(name for name in parts if name.startswith("xl/worksheets/"))
    parts[sheet] = parts[sheet].replace(b"<sheetData>", b"<sheetData>" + b" " * unpacked, 1)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def test_decompressed_size_is_bounded_before_parsing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tables, "MAX_UNPACKED_BYTES", 4 * 1024 * 1024, raising=False)
    bomb = _bomb(tmp_path / "bomb.xlsx", 16 * 1024 * 1024)
    assert bomb.stat().st_size < 100_000
    tracemalloc.start()
    try:
        with pytest.raises(RejectedFile, match="unpacks to"):
            tables.read_table(bomb)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 * 1024 * 1024
